"""Writes on datasets, label maps, items, subsets and annotations.

Imports of files live in services/imports.py and the COCO export in
services/exports.py; the functions here that delegate to them keep the names
the views and the API call. Every write is atomic and raises django
ValidationError naming the field (and the file or row) on bad input.
"""

import colorsys
import hashlib
import math
import re
import secrets
from collections.abc import Iterable, Iterator

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q

from registry.models import (
    Annotation,
    AnnotationKind,
    Dataset,
    Item,
    Label,
    ModelVersion,
    Project,
    Subset,
)
from registry.models.datasets import item_upload_to

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Matplotlib's tab10 then the light half of tab20: distinct, and familiar from plots.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)  # fmt: skip
# Half a pixel of slack: exporters round box corners differently.
BOX_TOLERANCE = 0.5
SPLIT_SUBSETS = (Subset.TRAIN, Subset.VALIDATION, Subset.TEST)


def in_chunk_size() -> int:
    """Ids per `id__in` query: SQLite allows 999 parameters, others many more."""
    return min(connection.features.max_query_params or 5000, 5000) - 10


def chunked(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Datasets -------------------------------------------------------------


@transaction.atomic
def dataset_create(
    *, project, name: str, user, labels: list, annotation_kind: str = "class", description: str = ""
) -> Dataset:
    """labels: names or {"name", "color"} dicts, in order; colours generated when absent."""
    if annotation_kind not in AnnotationKind.values:
        kinds = ", ".join(AnnotationKind.values)
        raise ValidationError({"annotation_kind": f"The kind is one of {kinds}."})
    entries = _parsed_label_map(labels or [], allow_ids=False)
    dataset = Dataset.objects.create(
        project=project,
        name=_checked_dataset_name(project, name),
        description=description or "",
        annotation_kind=annotation_kind,
        created_by=user,
    )
    _labels_create(dataset, entries, first_position=0)
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
        _label_map_replace(dataset, _parsed_label_map(labels, allow_ids=True))
    return dataset


@transaction.atomic
def dataset_delete(*, dataset) -> None:
    """Rows now; the stored images once the deletion is committed."""
    folder = item_upload_to(Item(dataset=dataset), "")
    dataset.delete()
    # The folder, not a list of names: a million names would not fit in a request.
    transaction.on_commit(lambda: storage_folder_delete(folder))


def storage_folder_delete(folder: str) -> None:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        default_storage.delete(f"{folder}{file_name}")


def _checked_dataset_name(project: Project, name: str, exclude: Dataset | None = None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "A dataset needs a name of 1 to 100 characters."})
    taken = Dataset.objects.filter(project=project, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"name": f"A dataset named {name!r} already exists in this project."})
    return name


# --- Label maps -----------------------------------------------------------


def label_colors_next(used: Iterable[str], count: int) -> list[str]:
    """`count` colours not in `used`: the palette first, then evenly spread hues."""
    taken = {color.lower() for color in used}
    free = [color for color in PALETTE if color not in taken]
    hue = 0.0
    while len(free) < count:
        hue = (hue + 0.618033988749895) % 1.0  # golden ratio: hues far apart
        red, green, blue = colorsys.hsv_to_rgb(hue, 0.65, 0.85)
        color = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        if color not in taken and color not in free:
            free.append(color)
    return free[:count]


def labels_ensure(*, dataset: Dataset, names: list[str]) -> tuple[dict[str, Label], list[str]]:
    """Every label of the dataset by name, adding `names` that are missing at the end
    of the map (in the order given). Returns the labels and the names added."""
    existing = {label.name: label for label in dataset.labels.all()}
    missing = [name for name in dict.fromkeys(names) if name not in existing]
    entries = [{"name": _checked_label_name(name, index)} for index, name in enumerate(missing)]
    first_position = max((label.position for label in existing.values()), default=-1) + 1
    for label in _labels_create(dataset, entries, first_position, used=existing.values()):
        existing[label.name] = label
    return existing, missing


def labels_summary(*, dataset: Dataset) -> list[dict]:
    """The label map in order, each with its number of ground-truth annotations."""
    ground_truth = Count("annotations", filter=Q(annotations__model__isnull=True))
    rows = dataset.labels.annotate(count=ground_truth).order_by("position", "id")
    return [
        {"id": row.id, "name": row.name, "color": row.color, "count": row.count} for row in rows
    ]


def _parsed_label_map(labels: list, *, allow_ids: bool) -> list[dict]:
    if not isinstance(labels, list | tuple):
        raise ValidationError({"labels": "The label map is a list of names or objects."})
    entries = [_parsed_label(entry, index, allow_ids) for index, entry in enumerate(labels)]
    names = [entry["name"] for entry in entries]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValidationError({"labels": f"The label {repeated[0]!r} is listed twice."})
    return entries


def _parsed_label(entry, index: int, allow_ids: bool) -> dict:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict):
        raise ValidationError({"labels": f"Label {index + 1}: a name or a {{name, color}} object."})
    parsed = {"name": _checked_label_name(entry.get("name"), index)}
    if entry.get("color"):
        parsed["color"] = _checked_color(entry["color"], parsed["name"])
    if allow_ids and entry.get("id") not in (None, ""):
        parsed["id"] = entry["id"]
    return parsed


def _checked_label_name(name, index: int) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 100:
        raise ValidationError({"labels": f"Label {index + 1}: a name of 1 to 100 characters."})
    return name


def _checked_color(color, name: str) -> str:
    if not isinstance(color, str) or not HEX_COLOR.match(color):
        raise ValidationError({"labels": f"The colour of {name!r} must look like #1f77b4."})
    return color.lower()


def _labels_create(
    dataset: Dataset, entries: list[dict], first_position: int, used: Iterable[Label] = ()
) -> list[Label]:
    given = [entry["color"] for entry in entries if "color" in entry]
    generated = iter(label_colors_next([*given, *(label.color for label in used)], len(entries)))
    labels = [
        Label(
            dataset=dataset,
            name=entry["name"],
            color=entry.get("color") or next(generated),
            position=first_position + offset,
        )
        for offset, entry in enumerate(entries)
    ]
    return Label.objects.bulk_create(labels)


def _label_map_replace(dataset: Dataset, entries: list[dict]) -> None:
    existing = {label.id: label for label in dataset.labels.all()}
    matched = _labels_matched(entries, existing)
    kept = {label.id for label in matched if label is not None}
    _labels_delete_unused([label for pk, label in existing.items() if pk not in kept])
    # Park renamed labels under unique temporary names so swaps (a↔b) pass the constraint.
    renamed = [
        lab for lab, ent in zip(matched, entries, strict=True) if lab and lab.name != ent["name"]
    ]
    parking = secrets.token_hex(4)  # PostgreSQL text may not hold NUL, so a printable marker
    for label in renamed:
        label.name = f"renaming-{parking}-{label.id}"
    Label.objects.bulk_update(renamed, ["name"])
    _labels_rewrite(dataset, matched, entries)


def _labels_matched(entries: list[dict], existing: dict[int, Label]) -> list[Label | None]:
    """The existing label each entry stands for: by id when given, else by unchanged name."""
    by_id: dict[int, Label] = {}
    for entry in entries:
        if "id" in entry:
            label = existing.get(_int_or_none(entry["id"]))
            if label is None:
                raise ValidationError({"labels": f"Label id {entry['id']} is not in this dataset."})
            if label.id in by_id:
                raise ValidationError({"labels": f"Label id {label.id} is listed twice."})
            by_id[label.id] = label
    free = {label.name: label for label in existing.values() if label.id not in by_id}
    return [by_id[int(e["id"])] if "id" in e else free.pop(e["name"], None) for e in entries]


def _labels_delete_unused(removed: list[Label]) -> None:
    in_use = (
        Annotation.objects.filter(label__in=removed)
        .values("label__name")
        .annotate(count=Count("id"))
        .order_by("label__name")
    )
    for row in in_use[:1]:
        raise ValidationError(
            {
                "labels": f"The label {row['label__name']!r} is used by {row['count']} "
                "annotation(s); it cannot be removed."
            }
        )
    from comparison.evaluations.count_grids import count_grids_forget

    count_grids_forget(label_ids=[label.id for label in removed])
    Label.objects.filter(id__in=[label.id for label in removed]).delete()


def _labels_rewrite(dataset: Dataset, matched: list[Label | None], entries: list[dict]) -> None:
    kept = [(label, entry) for label, entry in zip(matched, entries, strict=True) if label]
    used = [entry.get("color") or label.color for label, entry in kept]
    new_colors = iter(label_colors_next(used, len(entries)))
    changed, added = [], []
    for position, (label, entry) in enumerate(zip(matched, entries, strict=True)):
        if label is None:
            color = entry.get("color") or next(new_colors)
            added.append(Label(dataset=dataset, name=entry["name"], color=color, position=position))
            continue
        label.name, label.position = entry["name"], position
        label.color = entry.get("color") or label.color
        changed.append(label)
    Label.objects.bulk_update(changed, ["name", "color", "position"])
    Label.objects.bulk_create(added)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Imports (services/imports.py) -----------------------------------------
# Imported when called: imports.py builds on the label helpers above.


def items_upload_images(*, dataset, files: list, user, subset: str = "none") -> list[Item]:
    from registry.services.imports import images_upload

    return images_upload(dataset=dataset, files=files, user=user, subset=subset)


def items_import_zip(*, dataset, archive, user) -> dict:
    """A zip of label/*.png folders (classification). Returns counts."""
    from registry.services.imports import zip_import

    return zip_import(dataset=dataset, archive=archive, user=user)


def items_import_coco(*, dataset, coco_file, images: list, user) -> dict:
    """A COCO JSON and its images (several files, or one zip). Returns counts."""
    from registry.services.imports_coco import coco_import

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
    ids = [pk for pk in (_int_or_none(value) for value in item_ids) if pk is not None]
    updated = 0
    with transaction.atomic():
        for chunk in chunked(ids, in_chunk_size()):
            updated += Item.objects.filter(dataset=dataset, id__in=chunk).update(subset=subset)
    return updated


@transaction.atomic
def item_delete(*, item) -> None:
    file_name = item.file.name
    from comparison.evaluations.count_grids import count_grids_forget

    count_grids_forget(item_ids=[item.id])
    item.delete()
    transaction.on_commit(lambda: default_storage.delete(file_name))


def checked_subset(subset: str, field: str = "subset") -> str:
    if subset not in Subset.values:
        raise ValidationError({field: f"The subset is one of {', '.join(Subset.values)}."})
    return subset


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


def checked_box(box, *, width: int, height: int) -> tuple[float, float, float, float]:
    """[x, y, w, h] inside a width×height image (half a pixel of slack, then clamped).
    Raises ValueError saying what is wrong."""
    if not isinstance(box, list | tuple) or len(box) != 4:
        raise ValueError("a box is [x, y, width, height]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box):
        raise ValueError(f"box {list(box)} must hold four numbers")
    x, y, w, h = (float(value) for value in box)
    if not all(math.isfinite(value) for value in (x, y, w, h)) or w <= 0 or h <= 0:
        raise ValueError(f"box {list(box)} needs a positive width and height")
    tol = BOX_TOLERANCE
    if x < -tol or y < -tol or x + w > width + tol or y + h > height + tol:
        raise ValueError(f"box {list(box)} is outside the {width}×{height} image")
    left, top = max(x, 0.0), max(y, 0.0)
    return left, top, min(x + w, width) - left, min(y + h, height) - top


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
