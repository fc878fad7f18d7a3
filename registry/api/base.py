"""The base every API viewset builds on: membership scoping and role per action."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, renderers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from registry.access import check_role
from registry.api.permissions import ProjectRolePermission
from registry.api.scopes import models_of
from registry.models import ModelVersion, Project, Role


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose rows belong to projects.

    `scoped_queryset(user)` holds only what the caller may read; `project_path` is
    the dotted attribute path from a row to its project id; `write_role` guards
    every unsafe action unless `action_roles` says otherwise.
    """

    permission_classes = [permissions.IsAuthenticated, ProjectRolePermission]
    # JSON only: the Swagger UI at /api/docs/ is the browsable view, and the browsable
    # renderer would draw the input serializers over existing rows, which they do not read.
    renderer_classes = [renderers.JSONRenderer]
    project_path: str = "project_id"
    write_role: str = Role.DEVELOPER
    action_roles: dict[str, str] = {}
    # Serializers to read the request body with, per action (the output uses serializer_class).
    input_serializers: dict[str, type[Serializer]] = {}
    # What one row answers with, when it says more than a list row does.
    detail_serializer_class: type[Serializer] | None = None

    def scoped_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        # Schema generation has no signed-in user; the class queryset gives it the model.
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        return self.scoped_queryset(self.request.user)

    def role_needed(self) -> str:
        if self.action in self.action_roles:
            return self.action_roles[self.action]
        if self.request.method in permissions.SAFE_METHODS:
            return Role.VIEWER
        return self.write_role

    def project_id_of(self, obj) -> int | None:
        for part in self.project_path.split("."):
            obj = getattr(obj, part)
        return obj

    def require_role(self, project: Project | int, role: str | None = None) -> None:
        """For creates, where the project comes from the body: 404 outsider, 403 low role."""
        check_role(self.request.user, project, role or self.role_needed())

    def get_serializer_class(self) -> type[Serializer]:
        return self.input_serializers.get(self.action, self.serializer_class)

    def valid_input(self, request: Request, partial: bool = False) -> dict:
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, obj, status: int = 200) -> Response:
        context = self.get_serializer_context()
        serializer_class = self.detail_serializer_class or self.serializer_class
        return Response(serializer_class(obj, context=context).data, status=status)

    def fresh(self, obj):
        """The row re-read through the scoped queryset, so its output has every annotation."""
        return self.get_queryset().get(pk=obj.pk)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        rows = self.serializer_class(page, many=True, context=context).data
        return self.get_paginated_response(rows)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self.output(self.get_object())


def crud(output: type[Serializer], *, create=None, update=None):
    """Class decorator for the usual actions: `create` reads a `create` body and `update`
    (and partial_update) an `update` body, each answering with `output`, in the API
    and in its schema. The viewset's own `input_serializers` add its other actions."""
    schemas, inputs = {}, {}
    if create is not None:
        schemas["create"] = extend_schema(request=create, responses={201: output})
        inputs["create"] = create
    if update is not None:
        for action in ("update", "partial_update"):
            schemas[action] = extend_schema(request=update, responses=output)
            inputs[action] = update

    def decorate(viewset: type[ScopedViewSet]) -> type[ScopedViewSet]:
        viewset.input_serializers = {**inputs, **viewset.input_serializers}
        return extend_schema_view(**schemas)(viewset)

    return decorate


class ModelActionViewSet(ScopedViewSet):
    """The base of the actions other domains add to a model version (POST
    /models/{id}/train, /evaluate, /deploy ...), mounted beside the router's routes:
    the same rows and roles as /models/{id}, each action in its own domain's API."""

    queryset = ModelVersion.objects.all()

    def scoped_queryset(self, user) -> QuerySet:
        return models_of(user).select_related("package", "project")
