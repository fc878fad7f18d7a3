"""Comparison data in the admin: metrics read-only (points come only through metrics_log)."""

from django.contrib import admin

from comparison import models
from comparison.models import MetricChunk, MetricSeries


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


@admin.register(models.Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "dataset", "subset", "kind", "mode", "status", "created_at"]
    list_filter = ["kind", "mode", "status"]
    search_fields = ["name"]
    raw_id_fields = ["project", "model", "dataset", "job", "created_by"]
    # Summaries and matches are computed; editing them by hand would lie.
    readonly_fields = ["summary", "per_label", "confusion", "pr_curves"]


@admin.register(models.ReviewMark)
class ReviewMarkAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "verdict", "marked_by", "prediction", "ground_truth"]
    list_filter = ["verdict"]
    raw_id_fields = ["evaluation", "prediction", "ground_truth", "marked_by"]
