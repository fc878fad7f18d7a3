from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from jobs.models import ACTIVE_JOB_STATUSES, Job, JobKind, WorkerHeartbeat
from registry.access import visible_project_ids
from registry.models import ModelVersion, Project
from registry.models.packages import EXTERNAL_WHY


def jobs_of(user) -> QuerySet[Job]:
    return Job.objects.filter(project__in=visible_project_ids(user))


def jobs_for_project(project: Project) -> QuerySet[Job]:
    return Job.objects.filter(project=project).select_related("model", "created_by")


def active_job_for(model: ModelVersion) -> Job | None:
    return model.jobs.filter(status__in=ACTIVE_JOB_STATUSES).order_by("-id").first()


def latest_job_for(model: ModelVersion, kind: str = JobKind.TRAIN) -> Job | None:
    """The model's newest job of one kind (the Training card shows trainings only)."""
    return model.jobs.filter(kind=kind).order_by("-id").first()


def train_blocker(model: ModelVersion) -> str | None:
    """Why Train cannot be pressed now, in words for the page; None when it can."""
    if model.is_public:
        return "Public versions are read-only: clone it to train it."
    if model.package.is_external:
        return EXTERNAL_WHY.format(name=model.name, what="train")
    if model.dataset_id is None:
        return f"Model {model.name!r} has no dataset: choose one with Edit, then train it."
    if model.package.check_status == "failed":
        return f"The workers cannot import the adapter: {model.package.check_message}"
    if model.status == "deployed":
        return "Undeploy the model before training it again."
    return None


def queue_listeners(queue: str) -> list[str]:
    """The workers that said lately (three presence beats) that they consume `queue`."""
    since = timezone.now() - timedelta(seconds=3 * settings.WORKER_PRESENCE_SECONDS)
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=since).order_by("hostname")
    return [beat.hostname for beat in recent if queue in (beat.queues or [])]


def queue_warning(model: ModelVersion) -> str | None:
    """What to say when no running worker would take the model's training."""
    if queue_listeners(model.queue):
        return None
    return (
        f"No running worker listens on the queue {model.queue!r}: a training waits, queued, "
        f"until one starts (`celery -A config worker --queues {model.queue}`)."
    )
