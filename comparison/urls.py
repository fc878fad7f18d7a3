"""Comparison pages, mounted at the root by config/urls.py: path("", include(...))."""

from django.urls import path

from comparison import views

app_name = "comparison"

MODEL = "projects/<int:project_id>/models/<int:model_id>"

urlpatterns = [
    # --- The model page's metric charts -----------------------------------
    path(f"{MODEL}/metrics/partial", views.model_metrics_partial, name="model_metrics_partial"),
]
