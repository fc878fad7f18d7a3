"""A model version served for predictions: which weights, on which queue, in what state.

Each model keeps the table it had in the registry app (`Meta.db_table`): the models
moved here without their rows moving (docs/architecture.md).
"""

from django.conf import settings
from django.db import models

from registry.models.model_versions import ModelVersion
from registry.models.projects import Project


class DeploymentState(models.TextChoices):
    STARTING = "starting", "Starting"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    STOPPED = "stopped", "Stopped"


LIVE_STATES = (DeploymentState.STARTING, DeploymentState.READY)


class Deployment(models.Model):
    """One deploy of one version; undeploying stops it, and a later deploy is a new row,
    so the history of who served what, when, stays."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deployments")
    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="deployments")
    state = models.CharField(
        max_length=10, choices=DeploymentState.choices, default=DeploymentState.STARTING
    )
    queue = models.CharField(max_length=50, default="inference")
    concurrency = models.PositiveSmallIntegerField(default=1)
    # The artifacts served, as [{"name": ..., "sha256": ...}], fixed at deploy time.
    artifacts = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    # The worker that loaded it last, and when it last said so (a dead one goes failed).
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_deployment"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model"],
                condition=models.Q(state__in=LIVE_STATES),
                name="deployment_one_live_per_model",
            )
        ]
        indexes = [models.Index(fields=["project", "state"], name="deployment_project_state")]

    def __str__(self) -> str:
        return f"{self.model} ({self.state})"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES
