from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.models.projects import Project

# The adapter of versions logged from outside (the MLflow-compatible API): it has no code
# to train or predict with (worker/adapters/external.py).
EXTERNAL_ADAPTER = "worker.adapters.external:ExternalAdapter"
EXTERNAL_WHY = (
    "{name} was logged from outside Modelyard (through MLflow): its package has no adapter "
    "to {what} with. Upload predictions for an offline evaluation, or log the run under a "
    "package with an adapter (the run tag modelyard.package)."
)


class InputType(models.TextChoices):
    IMAGE = "image", "Image"


class OutputType(models.TextChoices):
    CLASS = "class", "Class label"
    BOX = "box", "Boxes"


class Package(models.Model):
    """The code of a model architecture. Public (built in) when `project` is empty."""

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="packages"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    input_type = models.CharField(max_length=8, choices=InputType.choices, default=InputType.IMAGE)
    output_type = models.CharField(max_length=8, choices=OutputType.choices)
    default_configuration = models.JSONField(default=dict, blank=True)
    adapter = models.CharField(max_length=200, help_text="module:Class of the ModelAdapter.")
    # Whether the workers can import the adapter, as a worker last answered.
    check_status = models.CharField(
        max_length=8,
        choices=[("unknown", "Not checked"), ("ok", "Importable"), ("failed", "Not importable")],
        default="unknown",
    )
    check_message = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="package_name_unique_in_project"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(project__isnull=True),
                name="public_package_name_unique",
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.project_id is None

    @property
    def is_external(self) -> bool:
        return self.adapter == EXTERNAL_ADAPTER
