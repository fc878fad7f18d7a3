"""Datasets, their label maps, items and annotations, and the counts the database keeps.

Each model keeps the table it had in the registry app (`Meta.db_table`): the models
moved here without their rows moving (docs/architecture.md).
"""

from django.conf import settings
from django.db import models

from registry.models import Project, Subset


class AnnotationKind(models.TextChoices):
    CLASS = "class", "Class label"
    BOX = "box", "Box"


class Dataset(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    annotation_kind = models.CharField(
        max_length=8, choices=AnnotationKind.choices, default=AnnotationKind.CLASS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_dataset"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="dataset_name_unique_in_project"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    """One entry of a dataset's label map; `position` keeps the order."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=7, default="#1f77b4")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "registry_label"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="label_name_unique_in_dataset")
        ]
        ordering = ["dataset", "position", "id"]

    def __str__(self) -> str:
        return self.name


def item_upload_to(item: "Item", filename: str) -> str:
    return f"projects/{item.dataset.project_id}/datasets/{item.dataset_id}/items/{filename}"


class Item(models.Model):
    # Indexed by (dataset, id) below, which PostgreSQL needs to read a page in id order.
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    name = models.CharField(max_length=255, help_text="File name, unique within the dataset.")
    file = models.FileField(upload_to=item_upload_to, max_length=500)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    subset = models.CharField(max_length=12, choices=Subset.choices, default=Subset.NONE)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_item"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="item_name_unique_in_dataset")
        ]
        indexes = [
            models.Index(fields=["dataset", "id"], name="item_dataset_id"),
            models.Index(fields=["dataset", "subset", "id"], name="item_dataset_subset"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Annotation(models.Model):
    """A class label or a box on an item: ground truth, or a model's prediction."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="annotations")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="annotations")
    kind = models.CharField(max_length=8, choices=AnnotationKind.choices)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    w = models.FloatField(null=True, blank=True)
    h = models.FloatField(null=True, blank=True)
    model = models.ForeignKey(
        "registry.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="predictions",
        # Indexed by (model, item) below: a lone model index is what SQLite picks for
        # "model IS NULL AND item IN (...)", reading every ground-truth row.
        db_index=False,
        help_text="Set for a prediction; empty for ground truth.",
    )
    confidence = models.FloatField(null=True, blank=True)
    # A prediction an annotator accepted as ground truth: model cleared, origin kept.
    accepted_from = models.ForeignKey(
        "registry.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The model whose prediction this ground truth was accepted from.",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_annotation"
        indexes = [
            models.Index(fields=["item", "model"], name="annotation_item_model"),
            models.Index(fields=["model", "item"], name="annotation_model_item"),
            # The grid's label filter walks the ground truth of one label in item order.
            models.Index(fields=["label", "model", "item"], name="annotation_label_model_item"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.label} on {self.item}"

    @property
    def is_prediction(self) -> bool:
        return self.model_id is not None

    @property
    def box(self) -> list[float] | None:
        if self.kind != AnnotationKind.BOX:
            return None
        return [self.x, self.y, self.w, self.h]


# --- Counts kept by the database ------------------------------------------
# Counting a million items on every grid page is too slow, so these rows hold the
# counts. Triggers (migration 0003) keep them exact on every write, bulk or not,
# whoever makes it: services, the admin, cascades. Never write them from Python.


class SubsetItemCount(models.Model):
    """How many items of `dataset` are in `subset`."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="subset_counts")
    subset = models.CharField(max_length=12, choices=Subset.choices)
    items = models.BigIntegerField(default=0)

    class Meta:
        db_table = "registry_subsetitemcount"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "subset"], name="subset_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.items} {self.subset} items of dataset {self.dataset_id}"


class LabelItemCount(models.Model):
    """How many items in `subset` have at least one ground-truth annotation of `label`."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="item_counts")
    subset = models.CharField(max_length=12, choices=Subset.choices)
    items = models.BigIntegerField(default=0)

    class Meta:
        db_table = "registry_labelitemcount"
        constraints = [
            models.UniqueConstraint(fields=["label", "subset"], name="label_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.items} {self.subset} items with label {self.label_id}"


class AnnotatedItemCount(models.Model):
    """How many items of `dataset` in `subset` have any ground truth at all.

    Pipelines that retrain every N newly annotated items read it every half minute.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="annotated_counts")
    subset = models.CharField(max_length=12, choices=Subset.choices)
    items = models.BigIntegerField(default=0)

    class Meta:
        db_table = "registry_annotateditemcount"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "subset"], name="annotated_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.items} annotated {self.subset} items of dataset {self.dataset_id}"
