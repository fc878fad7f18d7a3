"""Packages, model versions (with clone) and their artifacts."""

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from registry.api.base import ScopedViewSet, crud
from registry.api.filters import ArtifactFilter, ModelFilter, PackageFilter
from registry.api.scopes import artifacts_of, models_of, packages_of
from registry.api.serializers_models import (
    ArtifactSerializer,
    ArtifactUploadSerializer,
    CloneSerializer,
    ModelCreateSerializer,
    ModelDetailSerializer,
    ModelSerializer,
    ModelUpdateSerializer,
    PackageCreateSerializer,
    PackageSerializer,
    PackageUpdateSerializer,
)
from registry.models import Artifact, ModelVersion, Package, Role
from registry.services import artifacts as artifact_services
from registry.services import models as model_services
from registry.services import packages as package_services


@crud(PackageSerializer, create=PackageCreateSerializer, update=PackageUpdateSerializer)
class PackageViewSet(ScopedViewSet):
    """Public (built-in, read-only) packages and the caller's projects' own."""

    queryset = Package.objects.all()
    serializer_class = PackageSerializer
    filterset_class = PackageFilter

    def scoped_queryset(self, user) -> QuerySet:
        return packages_of(user)

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["project"])
        package = package_services.package_create(user=request.user, **data)
        return self.output(package, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        package = self.get_object()
        data = self.valid_input(request, partial=partial)
        return self.output(package_services.package_update(package=package, **data))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        package_services.package_delete(package=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(responses=ModelDetailSerializer))
@crud(ModelDetailSerializer, create=ModelCreateSerializer, update=ModelUpdateSerializer)
class ModelViewSet(ScopedViewSet):
    """Model versions: the caller's projects' and the public pretrained ones (read-only)."""

    queryset = ModelVersion.objects.all()
    serializer_class = ModelSerializer
    detail_serializer_class = ModelDetailSerializer
    input_serializers = {"clone": CloneSerializer}
    filterset_class = ModelFilter
    # Anyone who can read a model may clone it; the role that counts is in the target project.
    action_roles = {"clone": Role.VIEWER}

    def scoped_queryset(self, user) -> QuerySet:
        queryset = models_of(user).select_related("package").prefetch_related("tags")
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "status_changes__changed_by", "children", "artifacts"
            )
        return queryset

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["project"])
        model = model_services.model_create(user=request.user, **data)
        return self.output(self.fresh(model), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        model = self.get_object()
        data = self.valid_input(request, partial=partial)
        model_services.model_update(model=model, user=request.user, **data)
        return self.output(self.fresh(model))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        # Refused (400, naming the reason) while the model is queued, training or deployed.
        model_services.model_delete(model=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CloneSerializer, responses={201: ModelDetailSerializer})
    @action(detail=True, methods=["post"])
    def clone(self, request: Request, pk: str) -> Response:
        """A new version whose parent is this one, its configuration merged with the overrides."""
        source = self.get_object()
        data = self.valid_input(request)
        project = data.pop("project", None) or source.project
        if project is None:
            raise serializers.ValidationError(
                {"project": "Say which project the clone of a public model goes into."}
            )
        self.require_role(project, Role.DEVELOPER)
        clone = model_services.model_clone(
            source=source, user=request.user, project=project, **data
        )
        return self.output(self.fresh(clone), status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": ArtifactUploadSerializer},
        responses={201: ArtifactSerializer},
    )
)
class ArtifactViewSet(ScopedViewSet):
    """Files attached to model versions (weights, reports), with size and sha256."""

    queryset = Artifact.objects.all()
    serializer_class = ArtifactSerializer
    input_serializers = {"create": ArtifactUploadSerializer}
    filterset_class = ArtifactFilter
    project_path = "model.project_id"

    def scoped_queryset(self, user) -> QuerySet:
        return artifacts_of(user).select_related("model")

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        if data["model"].project_id is None:
            raise exceptions.PermissionDenied("Public models are read-only.")
        self.require_role(data["model"].project_id)
        artifact = artifact_services.artifact_upload(user=request.user, **data)
        return self.output(artifact, status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        artifact_services.artifact_delete(artifact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            )
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        artifact = self.get_object()
        return FileResponse(
            artifact.file.open("rb"),
            as_attachment=True,
            filename=artifact.name,
            content_type=artifact.content_type,
        )
