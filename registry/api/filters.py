"""Query-string filters of every list endpoint (django-filter FilterSets)."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.models import (
    Artifact,
    Membership,
    ModelStatus,
    ModelTag,
    ModelVersion,
    OutputType,
    Package,
    Project,
    Role,
)


class ProjectFilter(filters.FilterSet):
    name = filters.CharFilter(help_text="Exact name.")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["name"]


class MembershipFilter(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id")
    role = filters.ChoiceFilter(choices=Role.choices)
    name = filters.CharFilter(field_name="user__username", help_text="Exact username.")

    class Meta:
        model = Membership
        fields = ["project", "role", "name"]


class PackageFilter(filters.FilterSet):
    project = filters.NumberFilter(
        method="filter_project", help_text="Public packages and this project's."
    )
    name = filters.CharFilter()
    output_type = filters.ChoiceFilter(choices=OutputType.choices)
    public = filters.BooleanFilter(field_name="project", lookup_expr="isnull")

    class Meta:
        model = Package
        fields = ["project", "name", "output_type", "public"]

    def filter_project(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(project_id=value) | Q(project__isnull=True))


class ModelFilter(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id")
    package = filters.NumberFilter(field_name="package_id")
    dataset = filters.NumberFilter(field_name="dataset_id")
    parent = filters.NumberFilter(field_name="parent_id")
    status = filters.ChoiceFilter(choices=ModelStatus.choices)
    tag = filters.CharFilter(method="filter_tag", help_text="Models carrying this tag.")
    name = filters.CharFilter(help_text="Exact name.")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains")
    public = filters.BooleanFilter(field_name="project", lookup_expr="isnull")
    ordering = filters.OrderingFilter(fields=("name", "created_at", "updated_at", "status"))

    class Meta:
        model = ModelVersion
        fields = ["project", "package", "dataset", "parent", "status", "name", "public"]

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Exists(ModelTag.objects.filter(model=OuterRef("pk"), name=value)))


class ArtifactFilter(filters.FilterSet):
    model = filters.NumberFilter(field_name="model_id")
    name = filters.CharFilter()

    class Meta:
        model = Artifact
        fields = ["model", "name"]
