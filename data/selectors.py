"""Reads behind the dataset and item pages.

Each function issues a fixed number of queries, whatever the number of rows
on the page: the grid must stay fast at a million items. Counts come from
SubsetItemCount and LabelItemCount, which the database keeps exact, never
from counting items.
"""

from django.core.paginator import Page
from django.db.models import F, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce

from core.pagination import IdPaginator
from data.models import (
    AnnotatedItemCount,
    Annotation,
    Dataset,
    Item,
    Label,
    LabelItemCount,
    SubsetItemCount,
)
from registry.models import Project, Subset


def datasets_for_list(project: Project) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(project=project)
        .annotate(item_count=Coalesce(Sum("subset_counts__items"), 0))
        .prefetch_related("labels")
        .order_by("name")
    )


def ground_truth_prefetch() -> Prefetch:
    """Ground-truth annotations with their labels, on `item.ground_truth`."""
    queryset = Annotation.objects.filter(model__isnull=True).select_related("label")
    return Prefetch("annotations", queryset=queryset, to_attr="ground_truth")


def item_ids_for_grid(
    dataset: Dataset, label_id: int | None = None, subset: str | None = None
) -> QuerySet:
    """Ids of the dataset's items, filtered, in grid order: what a page slices.

    Ids only, so OFFSET steps through an index and never reads the rows it skips.
    With a label it walks that label's ground truth on (label, model, item).
    """
    if label_id:
        ids = Annotation.objects.filter(label_id=label_id, model__isnull=True)
        if subset:
            ids = ids.filter(item__subset=subset)
        return ids.values_list("item_id", flat=True).distinct().order_by("item_id")
    ids = Item.objects.filter(dataset=dataset)
    if subset:
        ids = ids.filter(subset=subset)
    return ids.values_list("id", flat=True).order_by("id")


def items_count(dataset: Dataset, label_id: int | None = None, subset: str | None = None) -> int:
    """How many items the grid's filters match, from the kept counts."""
    if label_id:
        rows = LabelItemCount.objects.filter(label_id=label_id, label__dataset=dataset)
    else:
        rows = SubsetItemCount.objects.filter(dataset=dataset)
    if subset:
        rows = rows.filter(subset=subset)
    return rows.aggregate(total=Coalesce(Sum("items"), 0))["total"]


def items_page(
    dataset: Dataset,
    number,
    per_page: int,
    label_id: int | None = None,
    subset: str | None = None,
) -> Page:
    """One grid page (1-based `number`; bad numbers give the first or the last page)."""
    ids = item_ids_for_grid(dataset, label_id, subset)
    rows = Item.objects.filter(dataset=dataset).prefetch_related(ground_truth_prefetch())
    count = items_count(dataset, label_id, subset)
    return IdPaginator(ids, rows, per_page, count).get_page(number)


def subset_counts(dataset: Dataset) -> dict[str, int]:
    """Items per subset, every subset present (zero when empty), in the Subset order."""
    found = dict(SubsetItemCount.objects.filter(dataset=dataset).values_list("subset", "items"))
    return {value: found.get(value, 0) for value in Subset.values}


def annotated_counts(dataset_id: int) -> dict[str, int]:
    """Items per subset that have any ground truth, every subset present."""
    found = AnnotatedItemCount.objects.filter(dataset_id=dataset_id)
    found = dict(found.values_list("subset", "items"))
    return {value: found.get(value, 0) for value in Subset.values}


def labels_with_counts(dataset: Dataset) -> QuerySet[Label]:
    """The label map in order, each with `item_count`: items having it as ground truth."""
    return dataset.labels.annotate(item_count=Coalesce(Sum("item_counts__items"), 0)).order_by(
        "position", "id"
    )


def dataset_totals(dataset: Dataset) -> dict[str, int]:
    """What deleting the dataset takes with it."""
    return {
        "items": sum(subset_counts(dataset).values()),
        "annotations": Annotation.objects.filter(item__dataset=dataset).count(),
        "labels": dataset.labels.count(),
    }


def item_with_annotations(dataset: Dataset, item_id: int) -> Item | None:
    """The item with all its annotations, ground truth first, on `all_annotations`."""
    # nulls_first: PostgreSQL would sort the ground truth (no model) last.
    order = (F("model_id").asc(nulls_first=True), "id")
    annotations = Annotation.objects.select_related("label", "model").order_by(*order)
    return (
        Item.objects.filter(dataset=dataset, pk=item_id)
        .prefetch_related(Prefetch("annotations", queryset=annotations, to_attr="all_annotations"))
        .first()
    )


def item_neighbours(item: Item) -> tuple[int | None, int | None]:
    """Ids of the previous and the next item of the dataset, in grid order."""
    siblings = Item.objects.filter(dataset_id=item.dataset_id)
    previous = siblings.filter(id__lt=item.id).order_by("-id").values_list("id", flat=True)
    following = siblings.filter(id__gt=item.id).order_by("id").values_list("id", flat=True)
    return previous.first(), following.first()
