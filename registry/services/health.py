from django.db import transaction
from django.utils import timezone

from registry.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


def heartbeat_request() -> None:
    """Ask a worker to say it is alive (answered in WorkerHeartbeat)."""
    from registry.tasks import worker_heartbeat

    transaction.on_commit(worker_heartbeat.delay)
