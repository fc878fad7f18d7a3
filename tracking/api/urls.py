from django.urls import path

from tracking.api import artifacts, views, views_models

# Under both /api/2.0/... and /mlflow/api/2.0/...: MLFLOW_TRACKING_URI is the site or /mlflow.
mlflow_patterns = [
    path("experiments/get-by-name", views.ExperimentGetByName.as_view()),
    path("experiments/get", views.ExperimentGet.as_view()),
    path("experiments/create", views.ExperimentCreate.as_view()),
    path("experiments/search", views.ExperimentSearch.as_view()),
    path("runs/create", views.RunCreate.as_view()),
    path("runs/get", views.RunGet.as_view()),
    path("runs/update", views.RunUpdate.as_view()),
    path("runs/delete", views.RunDelete.as_view()),
    path("runs/restore", views.RunRestore.as_view()),
    path("runs/log-metric", views.RunLogMetric.as_view()),
    path("runs/log-parameter", views.RunLogParameter.as_view()),
    path("runs/log-batch", views.RunLogBatch.as_view()),
    path("runs/set-tag", views.RunSetTag.as_view()),
    path("runs/delete-tag", views.RunDeleteTag.as_view()),
    path("runs/search", views.RunSearch.as_view()),
    path("metrics/get-history", views.MetricHistory.as_view()),
    path("runs/log-inputs", views_models.RunLogInputs.as_view()),
    path("runs/outputs", views_models.RunOutputs.as_view()),
    path("runs/log-model", views_models.RunLogModel.as_view()),
    path("logged-models", views_models.LoggedModelCreate.as_view()),
    path("logged-models/search", views_models.LoggedModelSearch.as_view()),
    path("logged-models/<str:model_id>", views_models.LoggedModelDetail.as_view()),
    path("logged-models/<str:model_id>/tags", views_models.LoggedModelTags.as_view()),
    path("logged-models/<str:model_id>/tags/<path:key>", views_models.LoggedModelTag.as_view()),
    path("logged-models/<str:model_id>/params", views_models.LoggedModelParams.as_view()),
]

artifact_patterns = [
    path("artifacts", artifacts.ArtifactList.as_view()),
    path("artifacts/<path:path>", artifacts.ArtifactFile.as_view()),
]
