"""Jobs and the workers' heartbeats in the admin."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from jobs import models


@admin.register(models.WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]


@admin.register(models.Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "project", "model", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["project", "model"]
