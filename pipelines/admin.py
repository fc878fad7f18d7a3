"""Pipelines and their runs in the admin."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from pipelines import models


@admin.register(models.Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "champion", "trigger", "paused", "created_at"]
    list_filter = ["trigger", "paused"]
    search_fields = ["name"]
    raw_id_fields = ["project", "dataset", "champion", "created_by"]
    list_select_related = ["project", "champion"]

    def save_model(self, request, obj, form, change) -> None:
        from pipelines.services.schedules import schedule_sync

        super().save_model(request, obj, form, change)
        schedule_sync(obj)  # beat's cron entry follows an edit made here too


class PipelineStepInline(admin.TabularInline):
    model = models.PipelineStep
    extra = 0
    fields = ["name", "status", "job", "message", "started_at", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.PipelineRun)
class PipelineRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "pipeline", "status", "trigger", "created_at", "finished_at"]
    list_filter = ["status", "trigger"]
    list_select_related = ["pipeline"]
    inlines = [PipelineStepInline]
