"""Query-string filters of every list endpoint (django-filter FilterSets)."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.models import (
    Annotation,
    AnnotationKind,
    Artifact,
    Dataset,
    Item,
    Membership,
    ModelStatus,
    ModelTag,
    ModelVersion,
    OutputType,
    Package,
    Project,
    Role,
    Subset,
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


class DatasetFilter(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id")
    name = filters.CharFilter()
    annotation_kind = filters.ChoiceFilter(choices=AnnotationKind.choices)

    class Meta:
        model = Dataset
        fields = ["project", "name", "annotation_kind"]


class ItemFilter(filters.FilterSet):
    dataset = filters.NumberFilter(field_name="dataset_id")
    subset = filters.ChoiceFilter(choices=Subset.choices)
    name = filters.CharFilter()
    # Names, not ids, in `label`: the demo's digit labels are called "0" to "9".
    label = filters.CharFilter(
        method="filter_label", help_text="Items with a ground-truth annotation of this label name."
    )
    label_id = filters.NumberFilter(
        method="filter_label", help_text="Items with a ground-truth annotation of this label id."
    )

    class Meta:
        model = Item
        fields = ["dataset", "subset", "name", "label", "label_id"]

    def filter_label(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Exists, not a join: an item with three boxes of the label is still one row.
        by = Q(label_id=value) if name == "label_id" else Q(label__name=value)
        truth = Annotation.objects.filter(by, item=OuterRef("pk"), model__isnull=True)
        return queryset.filter(Exists(truth))


class AnnotationFilter(filters.FilterSet):
    item = filters.NumberFilter(field_name="item_id")
    dataset = filters.NumberFilter(field_name="item__dataset_id")
    label = filters.CharFilter(field_name="label__name", help_text="Label name.")
    label_id = filters.NumberFilter(field_name="label_id")
    name = filters.CharFilter(field_name="label__name", help_text="Label name, as `label`.")
    kind = filters.ChoiceFilter(choices=AnnotationKind.choices)
    model = filters.NumberFilter(field_name="model_id", help_text="Predictions of this model.")
    prediction = filters.BooleanFilter(
        field_name="model", lookup_expr="isnull", exclude=True, help_text="false: ground truth."
    )

    class Meta:
        model = Annotation
        fields = ["item", "dataset", "label", "label_id", "name", "kind", "model", "prediction"]


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
