"""Writes on datasets, items, subsets and annotations.

Label maps live in labels.py, imports of files in imports.py and imports_coco.py,
the COCO export in exports.py; the functions here that delegate to the imports
keep the names the views and the API call. Every write is atomic and raises
django ValidationError naming the field (and the file or row) on bad input.
"""

import hashlib

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from core.db import chunked, in_chunk_size
from core.names import name_checked
from core.parsing import int_or_none
from data.models import Annotation, AnnotationKind, Dataset, Item, Label, item_upload_to
from data.services.checks import checked_box, checked_subset
from data.services.imports import images_upload, zip_import
from data.services.imports_coco import coco_import
from data.services.labels import label_map_parsed, label_map_replace, labels_create
from data.signals import rows_deleting
from registry.models import ModelVersion, Project, Subset

SPLIT_SUBSETS = (Subset.TRAIN, Subset.VALIDATION, Subset.TEST)


# --- Datasets -------------------------------------------------------------


@transaction.atomic
def dataset_create(
    *, project, name: str, user, labels: list, annotation_kind: str = "class", description: str = ""
) -> Dataset:
    """labels: names or {"name", "color"} dicts, in order; colours generated when absent."""
    if annotation_kind not in AnnotationKind.values:
        kinds = ", ".join(AnnotationKind.values)
        raise ValidationError({"annotation_kind": f"The kind is one of {kinds}."})
    entries = label_map_parsed(labels or [], allow_ids=False)
    dataset = Dataset.objects.create(
        project=project,
        name=_checked_dataset_name(project, name),
        description=description or "",
        annotation_kind=annotation_kind,
        created_by=user,
    )
    labels_create(dataset, entries, first_position=0)
    return dataset


@transaction.atomic
def dataset_update(
    *, dataset, name: str | None = None, description: str | None = None, labels: list | None = None
) -> Dataset:
    """`labels` replaces the label map: add, rename (by id), recolour, reorder.
    Removing a label that annotations use is refused, naming the label."""
    if name is not None and name != dataset.name:
        dataset.name = _checked_dataset_name(dataset.project, name, exclude=dataset)
    if description is not None:
        dataset.description = description
    dataset.save()
    if labels is not None:
        label_map_replace(dataset, label_map_parsed(labels, allow_ids=True))
    return dataset


@transaction.atomic
def dataset_delete(*, dataset) -> None:
    """Rows now; the stored images once the deletion is committed (data/receivers.py)."""
    dataset.delete()


def dataset_folder(dataset: Dataset) -> str:
    return item_upload_to(Item(dataset=dataset), "")


def storage_folder_delete(folder: str) -> None:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        default_storage.delete(f"{folder}{file_name}")


def _checked_dataset_name(project: Project, name: str, exclude: Dataset | None = None) -> str:
    siblings = Dataset.objects.filter(project=project)
    return name_checked(
        name, noun="dataset", siblings=siblings, exclude=exclude, where="in this project"
    )


# --- Label maps -----------------------------------------------------------


# --- Imports (services/imports.py and imports_coco.py) ----------------------


def items_upload_images(*, dataset, files: list, user, subset: str = "none") -> list[Item]:
    return images_upload(dataset=dataset, files=files, user=user, subset=subset)


def items_import_zip(*, dataset, archive, user) -> dict:
    """A zip of label/*.png folders (classification). Returns counts."""
    return zip_import(dataset=dataset, archive=archive, user=user)


def items_import_coco(*, dataset, coco_file, images: list, user) -> dict:
    """A COCO JSON and its images (several files, or one zip). Returns counts."""
    return coco_import(dataset=dataset, coco_file=coco_file, images=images, user=user)


# --- Items and subsets ----------------------------------------------------


@transaction.atomic
def items_split(*, dataset, train: float, validation: float, test: float, seed: int = 0) -> dict:
    """Percentages (sum <= 100, the rest 'none'), seeded and reproducible; counts per subset.

    Items are ranked by a hash of (seed, item name), so the same seed and the same
    items give the same split whatever order the database returns them in.
    """
    percentages = _checked_percentages(train, validation, test)
    ids, keys = _split_keys(dataset, seed)
    ranked = ids[np.argsort(keys, kind="stable")]
    bounds = [round(len(ranked) * sum(percentages[:end]) / 100) for end in range(4)]
    groups = {
        subset: ranked[bounds[index] : bounds[index + 1]]
        for index, subset in enumerate(SPLIT_SUBSETS)
    }
    groups[Subset.NONE] = ranked[bounds[3] :]
    _subsets_write(dataset, groups)
    return {str(subset): len(group) for subset, group in groups.items()}


def items_assign_subset(*, dataset, item_ids: list[int], subset: str) -> int:
    """Move the dataset's items among `item_ids` to `subset`; ids of other datasets'
    items are never touched. Returns how many were updated."""
    checked_subset(subset)
    ids = [pk for pk in (int_or_none(value) for value in item_ids) if pk is not None]
    updated = 0
    with transaction.atomic():
        for chunk in chunked(ids, in_chunk_size()):
            updated += Item.objects.filter(dataset=dataset, id__in=chunk).update(subset=subset)
    return updated


@transaction.atomic
def item_delete(*, item) -> None:
    file_name = item.file.name
    rows_deleting.send(sender=Item, item_ids=[item.id])
    item.delete()
    transaction.on_commit(lambda: default_storage.delete(file_name))


def _checked_percentages(*values) -> list[float]:
    for field, value in zip(SPLIT_SUBSETS, values, strict=True):
        if not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ValidationError({field: "A percentage from 0 to 100."})
    if sum(values) > 100 + 1e-9:
        raise ValidationError({"train": "The three percentages add up to more than 100."})
    return [float(value) for value in values]


def _split_keys(dataset: Dataset, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Item ids and their sort keys, read in chunks: ids and keys only, not rows."""
    rows = dataset.items.order_by("id").values_list("id", "name").iterator(chunk_size=5000)
    ids, keys = [], []
    for pk, name in rows:
        digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=8).digest()
        ids.append(pk)
        keys.append(int.from_bytes(digest, "big"))
    return np.array(ids, dtype=np.int64), np.array(keys, dtype=np.uint64)


def _subsets_write(dataset: Dataset, groups: dict[str, np.ndarray]) -> None:
    # The largest group is set with one UPDATE of the whole dataset; the others by id.
    largest = max(groups, key=lambda subset: len(groups[subset]))
    dataset.items.update(subset=largest)
    for subset, ids in groups.items():
        if subset == largest:
            continue
        for chunk in chunked(ids.tolist(), in_chunk_size()):
            Item.objects.filter(id__in=chunk).update(subset=subset)


# --- Annotations ----------------------------------------------------------


def annotation_create(
    *,
    item: Item,
    label: Label,
    user=None,
    box: list[float] | None = None,
    kind: str | None = None,
    model: ModelVersion | None = None,
    confidence: float | None = None,
) -> Annotation:
    """Ground truth, or a prediction when `model` is given. `kind` defaults to the dataset's."""
    kind = _checked_kind(item.dataset, kind)
    _check_label(label, item)
    _check_model(model, confidence, item)
    if kind == AnnotationKind.CLASS and model is None and _has_class_label(item):
        raise ValidationError({"label": "The item already has a class label; change that one."})
    annotation = Annotation(item=item, label=label, kind=kind, model=model, created_by=user)
    annotation.confidence = confidence
    _set_box(annotation, box)
    annotation.save()
    return annotation


def annotation_update(
    *, annotation: Annotation, label: Label | None = None, box: list[float] | None = None
) -> Annotation:
    if label is not None:
        _check_label(label, annotation.item)
        annotation.label = label
    if box is not None:
        _set_box(annotation, box)
    annotation.save()
    return annotation


def annotation_delete(*, annotation: Annotation) -> None:
    annotation.delete()


def _checked_kind(dataset: Dataset, kind: str | None) -> str:
    if kind not in (None, dataset.annotation_kind):
        raise ValidationError(
            {"kind": f"This dataset holds {dataset.annotation_kind} annotations, not {kind}."}
        )
    return dataset.annotation_kind


def _check_label(label: Label, item: Item) -> None:
    if label.dataset_id != item.dataset_id:
        raise ValidationError({"label": f"The label {label.name!r} is not in this dataset."})


def _check_model(model: ModelVersion | None, confidence: float | None, item: Item) -> None:
    if model is not None and model.project_id not in (None, item.dataset.project_id):
        raise ValidationError({"model": "The model belongs to another project."})
    if confidence is not None and not (
        isinstance(confidence, int | float) and 0 <= confidence <= 1
    ):
        raise ValidationError({"confidence": "A confidence from 0 to 1."})


def _has_class_label(item: Item) -> bool:
    return item.annotations.filter(model__isnull=True, kind=AnnotationKind.CLASS).exists()


def _set_box(annotation: Annotation, box: list[float] | None) -> None:
    if annotation.kind == AnnotationKind.CLASS:
        if box is not None:
            raise ValidationError({"box": "A class annotation has no box."})
        return
    item = annotation.item
    try:
        coords = checked_box(box, width=item.width, height=item.height)
    except ValueError as error:
        raise ValidationError({"box": f"{item.name}: {error}"}) from error
    annotation.x, annotation.y, annotation.w, annotation.h = coords
