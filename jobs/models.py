"""Jobs (one background execution each: train, evaluate, predict) and worker heartbeats.

Each model keeps the table it had in the registry app (`Meta.db_table`): the models
moved here without their rows moving (docs/architecture.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobKind(models.TextChoices):
    TRAIN = "train", "Train"
    EVALUATE = "evaluate", "Evaluate"
    PREDICT = "predict", "Predict"
    CHECK = "check", "Adapter check"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """One background execution, from the click (or the API call) to its end."""

    project = models.ForeignKey(
        "registry.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    model = models.ForeignKey(
        "registry.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    package = models.ForeignKey(
        "registry.Package", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(default=0)
    message = models.CharField(max_length=200, blank=True, help_text="What is happening now.")
    log = models.TextField(blank=True, help_text="The last lines of the job's log.")
    error = models.TextField(blank=True, help_text="The error and its traceback, when it failed.")
    parameters = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=50, default="default")
    celery_task_id = models.CharField(max_length=255, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_job"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="job_project_created"),
            models.Index(fields=["model", "-created_at"], name="job_model_created"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]
        constraints = [
            # Two Train clicks on one model must not start two trainings.
            models.UniqueConstraint(
                fields=["model"],
                condition=Q(kind="train", status__in=["queued", "running"]),
                name="one_active_training_per_model",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def duration(self):
        if self.started_at is None:
            return None
        return (self.finished_at or self.heartbeat_at or self.started_at) - self.started_at


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker answered, written by the worker itself."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    queues = models.JSONField(
        default=list, blank=True, help_text="The queues it consumes, as it last said."
    )

    class Meta:
        db_table = "registry_workerheartbeat"

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


def checkpoint_upload_to(checkpoint: "Checkpoint", filename: str) -> str:
    return f"checkpoints/model_{checkpoint.model_id}/job_{checkpoint.job_id}/{filename}"


class Checkpoint(models.Model):
    """A training's state after one epoch (a zip of what the adapter wrote), to resume from."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="checkpoints")
    model = models.ForeignKey(
        "registry.ModelVersion", on_delete=models.CASCADE, related_name="checkpoints"
    )
    epoch = models.PositiveIntegerField()
    file = models.FileField(upload_to=checkpoint_upload_to, max_length=500)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "epoch"], name="one_checkpoint_per_job_epoch")
        ]
        indexes = [models.Index(fields=["model", "-created_at"], name="checkpoint_model_created")]

    def __str__(self) -> str:
        return f"checkpoint of job {self.job_id} after epoch {self.epoch}"
