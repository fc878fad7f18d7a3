"""Evaluations and review marks in the admin."""

from django.contrib import admin

from evaluation import models


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
