"""The comparison view's pages, mounted at the root by config/urls.py."""

from django.urls import path

from comparison import views_compare, views_compare_exports, views_compare_picker
from comparison import views_compare_saved as saved

app_name = "compare"

COMPARE = "projects/<int:project_id>/compare"

urlpatterns = [
    # --- The page and its version picker ----------------------------------
    path(f"{COMPARE}/", views_compare.compare_page, name="page"),
    path(f"{COMPARE}/versions/", views_compare_picker.compare_picker, name="picker"),
    path(
        f"{COMPARE}/lineage/<int:model_id>/",
        views_compare_picker.compare_add_lineage,
        name="add_lineage",
    ),
    # --- Saved views --------------------------------------------------------
    path(f"{COMPARE}/views/", saved.saved_view_list, name="saved_views"),
    path(
        f"{COMPARE}/views/<int:view_id>/delete/",
        saved.saved_view_delete_view,
        name="saved_view_delete",
    ),
    # --- CSV exports --------------------------------------------------------
    path(f"{COMPARE}/export/series.csv", views_compare_exports.series_csv, name="series_csv"),
    path(f"{COMPARE}/export/summary.csv", views_compare_exports.summary_csv, name="summary_csv"),
    path(f"{COMPARE}/export/config.csv", views_compare_exports.config_csv, name="config_csv"),
]
