"""Projects, their members, and the token login for scripts."""

from django.contrib.auth import authenticate
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.base import ScopedViewSet, crud
from registry.api.filters import MembershipFilter, ProjectFilter
from registry.api.scopes import memberships_of, projects_of
from registry.api.serializers_projects import (
    MembershipCreateSerializer,
    MembershipRoleSerializer,
    MembershipSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from registry.models import Membership, Project, Role
from registry.services import projects as project_services
from registry.services.tokens import token_create


@crud(ProjectSerializer, create=ProjectInputSerializer, update=ProjectInputSerializer)
class ProjectViewSet(ScopedViewSet):
    """The caller's projects. Anyone signed in creates one (and owns it); owners edit and delete."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    project_path = "id"
    write_role = Role.OWNER

    def scoped_queryset(self, user) -> QuerySet:
        mine = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")
        return projects_of(user).annotate(my_role=Subquery(mine[:1]))

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        project = project_services.project_create(user=request.user, **data)
        return self.output(self.fresh(project), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        project = self.get_object()
        data = self.valid_input(request, partial=partial)
        project_services.project_update(project=project, **data)
        return self.output(self.fresh(project))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        project_services.project_delete(project=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@crud(MembershipSerializer, create=MembershipCreateSerializer, update=MembershipRoleSerializer)
class MembershipViewSet(ScopedViewSet):
    """Who is in the caller's projects. Members read; owners add, change roles and remove."""

    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    write_role = Role.OWNER

    def scoped_queryset(self, user) -> QuerySet:
        return memberships_of(user).select_related("user")

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["project"])
        membership = project_services.member_add(**data)
        return self.output(self.fresh(membership), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        membership = self.get_object()
        data = self.valid_input(request, partial=partial)
        if "role" in data:
            project_services.member_change_role(membership=membership, role=data["role"])
        return self.output(self.fresh(membership))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        project_services.member_remove(membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLoginView(APIView):
    """Trade a username and password for an API token (shown once, stored hashed)."""

    # Credentials are the whole check here: no session, so no CSRF, and no token needed.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer, auth=[])
    def post(self, request: Request) -> Response:
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request, **credentials.validated_data)
        if user is None:
            raise serializers.ValidationError({"password": "Wrong username or password."})
        name = f"api login {timezone.now():%Y-%m-%d %H:%M}"
        token, raw = token_create(user=user, name=name)
        return Response({"token": raw, "name": token.name})
