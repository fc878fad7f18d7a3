from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from registry.models import WorkerHeartbeat
from registry.services.health import heartbeat_request


def health(request: HttpRequest) -> JsonResponse:
    """Database reachable, and when a worker last answered; asks the workers again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    heartbeat_request()
    age = (timezone.now() - last.seen_at).total_seconds() if last else None
    return JsonResponse(
        {
            "database": "ok",
            "worker": last.hostname if last else None,
            "worker_seen_seconds_ago": round(age, 1) if age is not None else None,
        }
    )
