"""Deploy, undeploy and predict on a model; the deployments list; accepting predictions."""

import django_filters as filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import Conflict
from data.api.scopes import annotations_of
from data.models import Annotation
from jobs.api.serializers import JobSerializer
from registry.api.base import ModelActionViewSet, ScopedViewSet
from registry.api.scopes import models_of
from registry.models import ModelVersion, Project, Role
from serving import services as deployment_services
from serving.api.serializers import (
    AcceptAnswerSerializer,
    AcceptSerializer,
    DeploymentSerializer,
    DeploySerializer,
    PredictImageAnswerSerializer,
    PredictSerializer,
)
from serving.models import Deployment, DeploymentState
from serving.services import NotDeployed, PredictTimeout


class GatewayTimeout(exceptions.APIException):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_detail = "The prediction did not come back in time."
    default_code = "timeout"


class DeploymentFilter(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id")
    model = filters.NumberFilter(field_name="model_id")
    state = filters.ChoiceFilter(choices=DeploymentState.choices)
    live = filters.BooleanFilter(method="filter_live", help_text="Only starting or ready ones.")

    class Meta:
        model = Deployment
        fields = ["project", "model", "state"]

    def filter_live(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        live = {"state__in": [DeploymentState.STARTING, DeploymentState.READY]}
        return queryset.filter(**live) if value else queryset.exclude(**live)


class DeploymentViewSet(ScopedViewSet):
    """Every deployment of the caller's projects, live or ended (read-only)."""

    queryset = Deployment.objects.all()
    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilter

    def scoped_queryset(self, user) -> QuerySet:
        return Deployment.objects.filter(
            model__in=models_of(user), project__isnull=False
        ).select_related("model", "created_by", "stopped_by")


class ModelServingViewSet(ModelActionViewSet):
    """POST /models/{id}/deploy, /undeploy and /predict."""

    serializer_class = DeploymentSerializer
    input_serializers = {"deploy": DeploySerializer, "predict": PredictSerializer}
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Predict's role depends on a project setting: checked in the action with may_predict.
    action_roles = {"predict": Role.VIEWER}

    @extend_schema(
        request=DeploySerializer,
        responses={
            202: DeploymentSerializer,
            200: OpenApiResponse(DeploymentSerializer, description="Already live: unchanged."),
        },
    )
    def deploy(self, request: Request, pk: str) -> Response:
        """Deploy the model on the inference queue; starting until a worker has loaded it."""
        model = self.get_object()
        data = self.valid_input(request)
        already = deployment_services.deployment_live_or_none(model=model)
        deployment = deployment_services.model_deploy(model=model, user=request.user, **data)
        code = status.HTTP_200_OK if already else status.HTTP_202_ACCEPTED
        return Response(DeploymentSerializer(deployment).data, status=code)

    @extend_schema(
        request=None,
        responses={
            200: DeploymentSerializer,
            409: OpenApiResponse(description="The model is not deployed."),
        },
    )
    def undeploy(self, request: Request, pk: str) -> Response:
        """Stop the live deployment; the workers drop the model from their caches."""
        model = self.get_object()
        deployment = deployment_services.model_undeploy(model=model, user=request.user)
        if deployment is None:
            raise Conflict(f"{model.name} is not deployed.")
        return Response(DeploymentSerializer(deployment).data)

    @extend_schema(
        request={"application/json": PredictSerializer, "multipart/form-data": PredictSerializer},
        responses={
            202: JobSerializer,
            200: PredictImageAnswerSerializer,
            409: OpenApiResponse(description="The model is not deployed (the reason says why)."),
            504: OpenApiResponse(description="The image's prediction did not come back in time."),
        },
    )
    def predict(self, request: Request, pk: str) -> Response:
        """Items: a job on the inference queue (202). One image: its predictions now (200)."""
        model = self.get_object()
        if not deployment_services.may_predict(request.user, model.project):
            raise exceptions.PermissionDenied(_predict_refusal(model))
        data = self.valid_input(request)
        try:
            if data.get("items"):
                job = deployment_services.predict_items(
                    model=model, item_ids=data["items"], user=request.user
                )
                return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
            found = deployment_services.predict_image(
                model=model, image=data["image"], user=request.user
            )
        except NotDeployed as error:
            raise Conflict(str(error)) from None
        except PredictTimeout as error:
            raise GatewayTimeout(str(error)) from None
        return Response({"predictions": found})


def _predict_refusal(model: ModelVersion) -> str:
    if model.project is None:
        return "Public versions cannot be deployed; clone one into your project."
    if model.project.annotators_can_predict:
        return "Predicting needs the annotator role or above in the project."
    return "Predicting needs the developer role (the project does not let annotators predict)."


class AcceptViewSet(ScopedViewSet):
    """POST /annotations/accept: predictions become ground truth."""

    queryset = Annotation.objects.all()
    serializer_class = AcceptSerializer

    def scoped_queryset(self, user) -> QuerySet:
        return annotations_of(user)

    @extend_schema(request=AcceptSerializer, responses={200: AcceptAnswerSerializer})
    def accept(self, request: Request) -> Response:
        """Accept predictions (ids) of one project as ground truth; records who accepted."""
        data = self.valid_input(request)
        projects = set(
            annotations_of(request.user)
            .filter(id__in=data["ids"])
            .values_list("item__dataset__project", flat=True)
        )
        if not projects:
            raise exceptions.NotFound("No such annotations.")
        if len(projects) > 1:
            raise exceptions.ValidationError(
                {"ids": "Accept predictions of one project at a time."}
            )
        project = projects.pop()
        self.require_role(project, Role.ANNOTATOR)
        accepted = deployment_services.predictions_accept(
            project=Project.objects.get(pk=project), annotation_ids=data["ids"], user=request.user
        )
        return Response({"accepted": accepted})
