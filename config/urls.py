from django.contrib import admin
from django.urls import include, path

from tracking import views as tracking_pages
from tracking.api import views as tracking_views
from tracking.api.urls import artifact_patterns, mlflow_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    # MLflow's REST API, for MLFLOW_TRACKING_URI=<site>/mlflow (or the site itself).
    path("mlflow/api/2.0/mlflow/", include(mlflow_patterns)),
    path("api/2.0/mlflow/", include(mlflow_patterns)),
    path("mlflow/api/2.0/mlflow-artifacts/", include(artifact_patterns)),
    path("api/2.0/mlflow-artifacts/", include(artifact_patterns)),
    path("mlflow/version", tracking_views.version),
    path("mlflow/", tracking_pages.mlflow_home, name="mlflow_home"),
    path("mlflow/runs/<str:run_id>/", tracking_pages.run_page, name="mlflow_run"),
    path(
        "mlflow/experiments/<int:experiment_id>/",
        tracking_pages.experiment_page,
        name="mlflow_experiment",
    ),
    # Pages: each app's own, all under the root.
    path("", include("registry.urls")),
    path("", include("data.urls")),
    path("", include("jobs.urls")),
    path("", include("evaluation.urls")),
    path("", include("comparison.urls")),
    path("", include("comparison.urls_compare")),
    path("", include("comparison.urls_compare_evaluations")),
    path("", include("serving.urls")),
    path("", include("pipelines.urls")),
]
