"""The model page's metric charts, kept up to date by htmx."""

from django.urls import path

from comparison import views

app_name = "comparison"

MODEL = "projects/<int:project_id>/models/<int:model_id>"

urlpatterns = [
    path(f"{MODEL}/metrics/partial", views.model_metrics_partial, name="model_metrics_partial"),
]
