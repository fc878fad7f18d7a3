"""The REST API: /api/v1/..., its OpenAPI schema and the Swagger UI.

Included without a namespace so the base template can link to `api_docs`.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from registry.api import schema  # noqa: F401  (registers the token scheme with the schema)
from registry.api.errors import not_found_view
from registry.api.views_datasets import DatasetViewSet
from registry.api.views_deployments import AcceptViewSet, DeploymentViewSet, ModelServingViewSet
from registry.api.views_items import AnnotationViewSet, ItemViewSet
from registry.api.views_jobs import JobViewSet
from registry.api.views_models import ArtifactViewSet, ModelViewSet, PackageViewSet
from registry.api.views_pipelines import PipelineRunViewSet, PipelineViewSet
from registry.api.views_projects import MembershipViewSet, ProjectViewSet, TokenLoginView


class OptionalSlashRouter(DefaultRouter):
    """Every path answers with and without its trailing slash (no redirect, no 404)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


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

serving = [
    # --- Deploy and predict (before the router, whose detail routes would catch them) ---
    re_path(
        r"^v1/models/(?P<pk>[^/.]+)/deploy/?$",
        ModelServingViewSet.as_view({"post": "deploy"}),
        name="api-model-deploy",
    ),
    re_path(
        r"^v1/models/(?P<pk>[^/.]+)/undeploy/?$",
        ModelServingViewSet.as_view({"post": "undeploy"}),
        name="api-model-undeploy",
    ),
    re_path(
        r"^v1/models/(?P<pk>[^/.]+)/predict/?$",
        ModelServingViewSet.as_view({"post": "predict"}),
        name="api-model-predict",
    ),
    re_path(
        r"^v1/annotations/accept/?$",
        AcceptViewSet.as_view({"post": "accept"}),
        name="api-annotations-accept",
    ),
]

urlpatterns = [
    re_path(r"^v1/auth/token/?$", TokenLoginView.as_view(), name="api-auth-token"),
    *serving,
    path("v1/", include("comparison.api.urls")),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", not_found_view),
    # --- Schema and docs ---------------------------------------------------
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
