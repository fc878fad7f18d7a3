"""Reads behind the dataset and item pages.

Each function issues a fixed number of queries, whatever the number of rows
on the page: the grid must stay fast at a million items.
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from registry.models import Annotation, Dataset, Item, Label, Project, Subset


def datasets_for_list(project: Project) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(project=project)
        .annotate(item_count=Count("items", distinct=True))
        .prefetch_related("labels")
        .order_by("name")
    )


def ground_truth_prefetch() -> Prefetch:
    """Ground-truth annotations with their labels, on `item.ground_truth`."""
    queryset = Annotation.objects.filter(model__isnull=True).select_related("label")
    return Prefetch("annotations", queryset=queryset, to_attr="ground_truth")


def items_for_grid(
    dataset: Dataset, label_id: int | None = None, subset: str | None = None
) -> QuerySet[Item]:
    """The dataset's items, filtered; paginate it, the prefetch runs once per page."""
    items = Item.objects.filter(dataset=dataset)
    if subset:
        items = items.filter(subset=subset)
    if label_id:
        # Exists rather than a join: an item with two boxes of the label shows once.
        has_label = Annotation.objects.filter(
            item=OuterRef("pk"), label_id=label_id, model__isnull=True
        )
        items = items.filter(Exists(has_label))
    return items.order_by("id").prefetch_related(ground_truth_prefetch())


def subset_counts(dataset: Dataset) -> dict[str, int]:
    """Items per subset, every subset present (zero when empty), in the Subset order."""
    rows = Item.objects.filter(dataset=dataset).values("subset").annotate(n=Count("id"))
    found = {row["subset"]: row["n"] for row in rows.order_by()}
    return {value: found.get(value, 0) for value in Subset.values}


def labels_with_counts(dataset: Dataset) -> QuerySet[Label]:
    """The label map in order, each with `item_count`: items having it as ground truth."""
    ground_truth = Q(annotations__model__isnull=True)
    return dataset.labels.annotate(
        item_count=Count("annotations__item", filter=ground_truth, distinct=True)
    ).order_by("position", "id")


def dataset_totals(dataset: Dataset) -> dict[str, int]:
    """What deleting the dataset takes with it."""
    return {
        "items": dataset.items.count(),
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
