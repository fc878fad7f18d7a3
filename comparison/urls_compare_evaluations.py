"""The comparison view's evaluation section, mounted at the root by config/urls.py."""

from django.urls import path

from comparison import views_compare_evaluations as views

app_name = "compare_evaluations"

SECTION = "projects/<int:project_id>/compare/evaluations"

urlpatterns = [
    # --- The section, loaded into the comparison page by htmx -------------
    path(f"{SECTION}/", views.compare_evaluations_section, name="section"),
    # --- The data behind each chart: bars, heatmap, by_version, parallel ---
    path(f"{SECTION}/<slug:chart>.csv", views.compare_evaluations_csv, name="csv"),
]
