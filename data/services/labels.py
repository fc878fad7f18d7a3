"""Label maps: parsed, created, replaced and extended, with colours that stay distinct."""

import colorsys
import re
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from core.parsing import int_or_none
from data.models import Annotation, Dataset, Label
from data.signals import rows_deleting

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


# Matplotlib's tab10 then the light half of tab20: distinct, and familiar from plots.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)  # fmt: skip


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
    for label in labels_create(dataset, entries, first_position, used=existing.values()):
        existing[label.name] = label
    return existing, missing


def labels_summary(*, dataset: Dataset) -> list[dict]:
    """The label map in order, each with its number of ground-truth annotations."""
    ground_truth = Count("annotations", filter=Q(annotations__model__isnull=True))
    rows = dataset.labels.annotate(count=ground_truth).order_by("position", "id")
    return [
        {"id": row.id, "name": row.name, "color": row.color, "count": row.count} for row in rows
    ]


def label_map_parsed(labels: list, *, allow_ids: bool) -> list[dict]:
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


def labels_create(
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


def label_map_replace(dataset: Dataset, entries: list[dict]) -> None:
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
            label = existing.get(int_or_none(entry["id"]))
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
    rows_deleting.send(sender=Label, label_ids=[label.id for label in removed])
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
