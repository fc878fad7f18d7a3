"""What the admin classes of every app may share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only their services write (jobs, deployments and runs move through states;
    metric points come only through metrics_log): readable, not addable or editable."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
