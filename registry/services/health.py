from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from registry.models import WorkerHeartbeat

# /health/ is public: at most one heartbeat request per this many seconds reaches the queue.
HEARTBEAT_REQUEST_INTERVAL = 10


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


def heartbeat_request() -> bool:
    """Ask a worker to say it is alive (answered in WorkerHeartbeat); False if asked lately."""
    from registry.tasks import worker_heartbeat

    if not cache.add("modelyard:heartbeat-requested", True, HEARTBEAT_REQUEST_INTERVAL):
        return False
    transaction.on_commit(worker_heartbeat.delay)
    return True
