"""MLflow's experiments and runs, over Modelyard's projects and model versions.

An experiment is a name within a project; a run is one model version (its
configuration holds the params, its metric series the metrics, its artifacts the
files) plus what MLflow keeps beside: a run id, a status, times and string tags.
"""

import uuid

from django.conf import settings
from django.db import models

from registry.models import ModelVersion, Project


class Lifecycle(models.TextChoices):
    ACTIVE = "active"
    DELETED = "deleted"


class RunStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SCHEDULED = "SCHEDULED"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


class Experiment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="experiments")
    name = models.CharField(max_length=200)
    lifecycle_stage = models.CharField(
        max_length=8, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    tags = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="experiment_name_in_project")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.project.name}/{self.name}"


def new_run_id() -> str:
    return uuid.uuid4().hex


class Run(models.Model):
    run_id = models.CharField(max_length=32, unique=True, default=new_run_id)
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="runs")
    model = models.OneToOneField(ModelVersion, on_delete=models.CASCADE, related_name="run")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    lifecycle_stage = models.CharField(
        max_length=8, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    # Milliseconds since 1970, as the client sends them.
    start_time = models.BigIntegerField(null=True, blank=True)
    end_time = models.BigIntegerField(null=True, blank=True)
    # Every tag the client set, `mlflow.*` ones included (the system's metadata).
    tags = models.JSONField(default=dict, blank=True)
    # The version tags (`key:value`) made from the run's tags, replaced when those change.
    mirrored_tags = models.JSONField(default=list, blank=True)
    # What autologging records beside: datasets and models in (log-inputs), models out.
    inputs = models.JSONField(default=list, blank=True)
    outputs = models.JSONField(default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-start_time", "-id"]

    def __str__(self) -> str:
        return self.run_id


def new_logged_model_id() -> str:
    return f"m-{uuid.uuid4().hex}"


class LoggedModel(models.Model):
    """MLflow 3's logged model (`mlflow.<flavor>.log_model`): its files are artifacts of
    the run's version under `models/<model id>/`."""

    model_id = models.CharField(max_length=40, unique=True, default=new_logged_model_id)
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="models")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="logged_models")
    name = models.CharField(max_length=250)
    model_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=40, default="LOGGED_MODEL_PENDING")
    status_message = models.TextField(blank=True)
    lifecycle_stage = models.CharField(
        max_length=8, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    tags = models.JSONField(default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.model_id
