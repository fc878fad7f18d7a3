"""Deployments in the admin, read-only: their states move through services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from serving import models


@admin.register(models.Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "model", "project", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["project", "model"]
