"""Continuous-learning pipelines: a champion, challengers cloned from it, and their runs.

Each model keeps the table it had in the registry app (`Meta.db_table`): the models
moved here without their rows moving (docs/architecture.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from data.models import Dataset
from jobs.models import Job
from registry.models.model_versions import ModelVersion
from registry.models.projects import Project


class PipelineTrigger(models.TextChoices):
    MANUAL = "manual", "Manual only"
    NEW_ITEMS = "new_items", "Every N newly annotated train items"
    SCHEDULE = "schedule", "On a schedule"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    PROMOTED = "promoted", "Promoted"
    DISCARDED = "discarded", "Discarded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.AWAITING_APPROVAL)


class StepName(models.TextChoices):
    CLONE = "clone", "Clone"
    TRAIN = "train", "Train"
    EVALUATE_CHALLENGER = "evaluate_challenger", "Evaluate challenger"
    EVALUATE_CHAMPION = "evaluate_champion", "Evaluate champion"
    COMPARE = "compare", "Compare"
    PROMOTE = "promote", "Promote"


STEP_ORDER = [choice.value for choice in StepName]


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    CANCELLED = "cancelled", "Cancelled"


class Pipeline(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pipelines")
    name = models.CharField(max_length=100)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="pipelines")
    # RESTRICT, not PROTECT: the champion cannot be deleted on its own, but it goes
    # with its project, which takes the pipeline along in the same cascade.
    champion = models.ForeignKey(
        ModelVersion, on_delete=models.RESTRICT, related_name="champion_of"
    )
    overrides = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(
        max_length=12, choices=PipelineTrigger.choices, default=PipelineTrigger.MANUAL
    )
    new_items_threshold = models.PositiveIntegerField(null=True, blank=True)
    schedule = models.CharField(max_length=100, blank=True, help_text="cron: 5 fields")
    metric = models.CharField(max_length=100, default="accuracy")
    higher_is_better = models.BooleanField(default=True)
    min_improvement = models.FloatField(default=0.0)
    max_label_regression = models.FloatField(null=True, blank=True)
    auto_promote = models.BooleanField(default=True)
    paused = models.BooleanField(default=False)
    # A trigger that fired while a run was active: the next run starts when it ends.
    pending_trigger = models.CharField(max_length=12, blank=True)
    # Annotated train items already accounted for by a run (the new_items trigger).
    items_seen = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_pipeline"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="pipeline_name_unique_in_project"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PipelineRun(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    trigger = models.CharField(max_length=12, choices=PipelineTrigger.choices)
    champion = models.ForeignKey(
        ModelVersion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    challenger = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    champion_evaluation = models.ForeignKey(
        "evaluation.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    challenger_evaluation = models.ForeignKey(
        "evaluation.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.JSONField(default=dict, blank=True)
    train_items = models.PositiveIntegerField(default=0)
    test_items = models.PositiveIntegerField(default=0)
    data_checksum = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_pipelinerun"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pipeline"],
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="pipeline_one_active_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pipeline} run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES


class PipelineStep(models.Model):
    run = models.ForeignKey(PipelineRun, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=20, choices=StepName.choices)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING)
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="pipeline_steps"
    )
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_pipelinestep"
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "name"], name="pipeline_step_unique_in_run")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def duration(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
