"""List filters of the data endpoints (?name=, ?dataset=, ...)."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from data.models import Annotation, AnnotationKind, Dataset, Item
from registry.models import (
    Subset,
)


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
