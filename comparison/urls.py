"""Comparison pages, mounted at the root by config/urls.py: path("", include(...))."""

from django.urls import path

from comparison import views, views_evaluations, views_review, views_review_diff, views_review_marks

app_name = "comparison"

MODEL = "projects/<int:project_id>/models/<int:model_id>"
EVALUATION = "projects/<int:project_id>/evaluations/<int:evaluation_id>"

urlpatterns = [
    # --- The model page's metric charts -----------------------------------
    path(f"{MODEL}/metrics/partial", views.model_metrics_partial, name="model_metrics_partial"),
    # --- The project's evaluations --------------------------------------
    path(
        "projects/<int:project_id>/evaluations/",
        views_evaluations.evaluation_list,
        name="evaluation_list",
    ),
    # --- The evaluation review page (and, to htmx, its results partial) ---
    path(f"{EVALUATION}/", views_review.evaluation_review, name="evaluation_review"),
    path(
        f"{EVALUATION}/marks/",
        views_review_marks.evaluation_review_mark,
        name="evaluation_review_mark",
    ),
    # --- The regression diff: what changed since another evaluation ---------
    path(f"{EVALUATION}/diff/", views_review_diff.evaluation_diff, name="evaluation_diff"),
]
