"""The REST API: /api/v1/..., its OpenAPI schema and the Swagger UI.

Each domain's viewsets live in its own `api/` package; this is where they meet.
Included without a namespace so the base template can link to `api_docs`.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.errors import not_found_view
from core.api.routers import OptionalSlashRouter
from data.api.views_datasets import DatasetViewSet
from data.api.views_items import AnnotationViewSet, ItemViewSet
from evaluation.api.model_evaluate import ModelEvaluateViewSet
from jobs.api.views import JobViewSet, ModelTrainViewSet
from pipelines.api.views import PipelineRunViewSet, PipelineViewSet
from registry.api import schema  # noqa: F401  (registers the token scheme with the schema)
from registry.api.views_models import ArtifactViewSet, ModelViewSet, PackageViewSet
from registry.api.views_projects import MembershipViewSet, ProjectViewSet, TokenLoginView
from serving.api.views import AcceptViewSet, DeploymentViewSet, ModelServingViewSet

router = OptionalSlashRouter()
# --- Projects and who is in them -------------------------------------------
router.register("projects", ProjectViewSet, basename="api-project")
router.register("memberships", MembershipViewSet, basename="api-membership")
# --- Data ------------------------------------------------------------------
router.register("datasets", DatasetViewSet, basename="api-dataset")
router.register("items", ItemViewSet, basename="api-item")
router.register("annotations", AnnotationViewSet, basename="api-annotation")
# --- Models ----------------------------------------------------------------
router.register("packages", PackageViewSet, basename="api-package")
router.register("models", ModelViewSet, basename="api-model")
router.register("artifacts", ArtifactViewSet, basename="api-artifact")
# --- Work in the workers ---------------------------------------------------
router.register("jobs", JobViewSet, basename="api-job")
router.register("deployments", DeploymentViewSet, basename="api-deployment")
# --- Continuous learning ---------------------------------------------------
router.register("pipelines", PipelineViewSet, basename="api-pipeline")
router.register("pipeline-runs", PipelineRunViewSet, basename="api-pipeline-run")


def _model_action(viewset, action: str):
    """POST /models/{id}/<action>, served by the viewset of the action's own domain."""
    return re_path(
        rf"^v1/models/(?P<pk>[^/.]+)/{action}/?$",
        viewset.as_view({"post": action}),
        name=f"api-model-{action}",
    )


# Before the router, whose detail routes would catch them.
model_actions = [
    _model_action(ModelTrainViewSet, "train"),
    _model_action(ModelEvaluateViewSet, "evaluate"),
    _model_action(ModelServingViewSet, "deploy"),
    _model_action(ModelServingViewSet, "undeploy"),
    _model_action(ModelServingViewSet, "predict"),
]


urlpatterns = [
    re_path(r"^v1/auth/token/?$", TokenLoginView.as_view(), name="api-auth-token"),
    *model_actions,
    re_path(
        r"^v1/annotations/accept/?$",
        AcceptViewSet.as_view({"post": "accept"}),
        name="api-annotations-accept",
    ),
    path("v1/", include("evaluation.api.urls")),
    path("v1/", include("comparison.api.urls")),  # metrics
    path("v1/", include(router.urls)),
    re_path(r"^v1/", not_found_view),
    # --- Schema and docs ---------------------------------------------------
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
