from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from registry.models.packages import Package
from registry.models.projects import Project
from registry.models.subsets import Subset

DEFAULT_QUEUE = "training"
queue_name = RegexValidator(
    r"^[A-Za-z0-9_.-]+$", "A queue name holds letters, digits, '_', '-' and '.' only."
)


class ModelStatus(models.TextChoices):
    CREATED = "created", "Created"
    PRE_TRAINED = "pre-trained", "Pre-trained"
    QUEUED = "queued", "Queued"
    TRAINING = "training", "Training"
    TRAINED = "trained", "Trained"
    FAILED = "failed", "Failed"
    DEPLOYED = "deployed", "Deployed"


class ModelVersion(models.Model):
    """One version of a model. Public (a pretrained version) when `project` is empty."""

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="models"
    )
    package = models.ForeignKey(Package, on_delete=models.RESTRICT, related_name="models")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ModelStatus.choices, default=ModelStatus.CREATED
    )
    configuration = models.JSONField(default=dict, blank=True)
    labels = models.JSONField(default=list, blank=True)
    dataset = models.ForeignKey(
        "data.Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="models"
    )
    train_subset = models.CharField(max_length=12, choices=Subset.choices, default=Subset.TRAIN)
    validation_subset = models.CharField(
        max_length=12, choices=Subset.choices, default=Subset.VALIDATION
    )
    test_subset = models.CharField(max_length=12, choices=Subset.choices, default=Subset.TEST)
    queue = models.CharField(
        max_length=50,
        default=DEFAULT_QUEUE,
        validators=[queue_name],
        help_text="The Celery queue its trainings go to: workers started with "
        "`--queues <name>` take them (e.g. `gpu` for a GPU machine).",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="model_name_unique_in_project"
            ),
            models.UniqueConstraint(
                fields=["package", "name"],
                condition=Q(project__isnull=True),
                name="public_model_name_unique_in_package",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="model_project_status"),
            models.Index(fields=["project", "-created_at"], name="model_project_created"),
        ]
        ordering = ["-created_at", "-id"]
        verbose_name = "model version"

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.project_id is None


class ModelTag(models.Model):
    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="tag_unique_on_model")
        ]
        indexes = [models.Index(fields=["name", "model"], name="tag_name_model")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """Who or what moved a model from one status to another, and when."""

    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ModelStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ModelStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.model}: {self.from_status or '—'} → {self.to_status}"


def artifact_upload_to(artifact: "Artifact", filename: str) -> str:
    model = artifact.model
    scope = f"projects/{model.project_id}" if model.project_id else "public"
    return f"{scope}/models/{model.id}/artifacts/{filename}"


class Artifact(models.Model):
    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="artifacts")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=artifact_upload_to, max_length=500)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="artifact_name_unique_on_model")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
