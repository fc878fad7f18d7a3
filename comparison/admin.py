"""Comparison data in the admin: metrics read-only (points come only through metrics_log)."""

from django.contrib import admin

from comparison.models import MetricChunk, MetricSeries
from core.admin import ReadOnlyAdmin


@admin.register(MetricSeries)
class MetricSeriesAdmin(ReadOnlyAdmin):
    list_display = ["name", "model", "point_count", "last_step", "last_value", "updated_at"]
    search_fields = ["name", "model__name"]
    list_select_related = ["model"]
    raw_id_fields = ["model"]


@admin.register(MetricChunk)
class MetricChunkAdmin(ReadOnlyAdmin):
    # The packed arrays are bytes; the row's place in its series is what a person reads.
    list_display = ["id", "series", "first_step", "last_step", "count"]
    fields = ["series", "first_step", "last_step", "count"]
    list_select_related = ["series"]
    raw_id_fields = ["series"]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A chunk deleted alone would leave its series' summary counting points it lost.
        return False
