"""MLflow experiments, runs and logged models in the admin: written only through the API."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from tracking import models


@admin.register(models.Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    list_display = ["name", "project", "lifecycle_stage", "created_at"]
    list_filter = ["lifecycle_stage"]
    search_fields = ["name"]
    list_select_related = ["project"]


@admin.register(models.Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["run_id", "experiment", "model", "status", "lifecycle_stage"]
    list_filter = ["status", "lifecycle_stage"]
    search_fields = ["run_id", "model__name"]
    list_select_related = ["experiment__project", "model"]


@admin.register(models.LoggedModel)
class LoggedModelAdmin(ReadOnlyAdmin):
    list_display = ["model_id", "name", "run", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["model_id", "name"]
    list_select_related = ["run"]
