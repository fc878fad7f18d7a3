"""Import of a COCO file (images, annotations, categories) with its images.

Every listed image must be supplied (as files or one zip), every box must lie
inside its image, and the image sizes in the file must match the files. Like
every import, nothing is written until everything has been checked.
"""

import json
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

from data.models import Annotation, AnnotationKind, Dataset, Item
from data.services.checks import checked_box
from data.services.imports import (
    BATCH_SIZE,
    MAX_PROBLEMS,
    ImageSource,
    check_kind,
    check_names_free,
    each_checked,
    entry_reader,
    file_size,
    image_inspect,
    items_create,
    problem,
    stored_or_removed,
    upload_sources,
    zip_entries,
    zip_opened,
)
from data.services.labels import labels_ensure
from registry.services.files import checked_file_name


@dataclass
class CocoImage:
    id: int
    name: str
    width: int
    height: int


@dataclass
class CocoData:
    categories: list[tuple[int, str]]
    images: dict[int, CocoImage]
    boxes: list[tuple[int, int, tuple[float, float, float, float]]]


def coco_import(*, dataset: Dataset, coco_file, images: list, user) -> dict:
    check_kind(
        dataset,
        AnnotationKind.BOX,
        "coco_file",
        "This is a class dataset; COCO boxes go into a box dataset.",
    )
    coco = coco_parsed(coco_file)
    with _coco_sources(images) as sources:
        sources = _coco_matched(coco, sources)
        check_names_free(dataset, sources, "images")
        expected = {image.name: image for image in coco.images.values()}
        each_checked(sources, lambda source: _coco_image_inspect(source, expected), "images")
        with stored_or_removed("images") as stored:
            labels, added = labels_ensure(
                dataset=dataset, names=[name for _, name in coco.categories]
            )
            items = items_create(dataset, sources, stored)
            count = _boxes_create(coco, items, labels, user)
    return {"items": len(items), "annotations": count, "labels": len(added), "labels_added": added}


def coco_parsed(coco_file) -> CocoData:
    """The COCO file checked row by row: ids, names, sizes, and every box inside its image."""
    data = _coco_json(coco_file)
    categories = _rows_parsed(data, "categories", _coco_category)
    _check_unique(categories, "categories", lambda row: row[0], "id")
    _check_unique(categories, "categories", lambda row: row[1], "name")
    images = _rows_parsed(data, "images", _coco_image)
    _check_unique(images, "images", lambda image: image.id, "id")
    _check_unique(images, "images", lambda image: image.name, "file_name")
    by_id = {image.id: image for image in images}
    category_ids = {category_id for category_id, _ in categories}
    boxes = _rows_parsed(data, "annotations", lambda row: _coco_box(row, by_id, category_ids))
    return CocoData(categories=categories, images=by_id, boxes=boxes)


def _coco_json(coco_file) -> dict:
    if isinstance(coco_file, dict):
        return coco_file
    if file_size(coco_file) > settings.MAX_ARCHIVE_BYTES:
        raise ValidationError({"coco_file": "The COCO file is larger than archives may be."})
    coco_file.seek(0)
    try:
        data = json.loads(coco_file.read())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            {"coco_file": f"The COCO file is not valid JSON: {error}."}
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(
            {"coco_file": "The COCO file is a JSON object with images, annotations, categories."}
        )
    return data


def _rows_parsed(data: dict, section: str, parse: Callable) -> list:
    rows = data.get(section)
    if not isinstance(rows, list):
        raise ValidationError({"coco_file": f"The COCO file needs a list of {section}."})
    parsed, problems = [], []
    for index, row in enumerate(rows):
        try:
            if not isinstance(row, dict):
                raise ValueError("each row is a JSON object")
            parsed.append(parse(row))
        except ValueError as error:
            row_id = f" (id {row['id']})" if isinstance(row, dict) and "id" in row else ""
            problems.append(f"{section}[{index}]{row_id}: {error}")
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ValidationError({"coco_file": problems})
    return parsed


def _check_unique(rows: list, section: str, key: Callable, what: str) -> None:
    repeated = [value for value, count in Counter(key(row) for row in rows).items() if count > 1]
    if repeated:
        raise ValidationError(
            {"coco_file": f"{section}: {what} {repeated[0]!r} appears more than once."}
        )


def _coco_category(row: dict) -> tuple[int, str]:
    name = row.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise ValueError("a category needs a name of 1 to 100 characters")
    return _int_field(row, "id"), name.strip()


def _coco_image(row: dict) -> CocoImage:
    file_name = row.get("file_name")
    if not isinstance(file_name, str):
        raise ValueError("file_name is missing")
    # Exporters often keep a folder in file_name; the item is named by the file alone.
    name = PurePosixPath(file_name.replace("\\", "/")).name
    try:
        checked_file_name(name, "images")
    except ValidationError:
        raise ValueError(f"file_name {file_name!r} is not a plain file name") from None
    width, height = _int_field(row, "width"), _int_field(row, "height")
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    return CocoImage(id=_int_field(row, "id"), name=name, width=width, height=height)


def _coco_box(row: dict, images: dict[int, CocoImage], category_ids: set[int]) -> tuple:
    image_id, category_id = row.get("image_id"), row.get("category_id")
    image = images.get(image_id) if _is_int(image_id) else None
    if image is None:
        raise ValueError(f"image_id {image_id!r} is not among the images")
    if not _is_int(category_id) or category_id not in category_ids:
        raise ValueError(f"category_id {category_id!r} is not among the categories")
    try:
        box = checked_box(row.get("bbox"), width=image.width, height=image.height)
    except ValueError as error:
        raise ValueError(f"{error} ({image.name})") from None
    return image.id, category_id, box


def _int_field(row: dict, key: str) -> int:
    if not _is_int(row.get(key)):
        raise ValueError(f"{key} must be an integer")
    return row[key]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@contextmanager
def _coco_sources(images: list) -> Iterator[list[ImageSource]]:
    if not images:
        raise ValidationError(
            {"images": "Add the images the COCO file lists: several files, or one zip."}
        )
    if len(images) == 1 and _is_zip(images[0]):
        with zip_opened(images[0], "images") as archive_file:
            entries = zip_entries(archive_file, "images")
            # The COCO file itself may travel in the zip; it is not an image.
            yield [
                ImageSource(
                    name=PurePosixPath(info.filename).name,
                    where=info.filename,
                    read=entry_reader(archive_file, info, "images"),
                )
                for info in entries
                if not info.filename.lower().endswith(".json")
            ]
    else:
        yield upload_sources(images)


def _is_zip(file) -> bool:
    if (getattr(file, "name", "") or "").lower().endswith(".zip"):
        return True
    found = zipfile.is_zipfile(file)
    file.seek(0)
    return found


def _coco_matched(coco: CocoData, sources: list[ImageSource]) -> list[ImageSource]:
    """The sources in the COCO file's order, when they are exactly the images it lists."""
    order = {image.name: index for index, image in enumerate(coco.images.values())}
    supplied = {source.name for source in sources}
    problems = [
        f"{name}: listed in the COCO file but not supplied"
        for name in order
        if name not in supplied
    ]
    problems += [
        f"{s.where}: not listed in the COCO file's images" for s in sources if s.name not in order
    ]
    if problems:
        raise ValidationError({"images": problems[:MAX_PROBLEMS]})
    return sorted(sources, key=lambda source: order[source.name])


def _coco_image_inspect(source: ImageSource, expected: dict[str, CocoImage]) -> None:
    image_inspect(source, "images")
    listed = expected[source.name]
    if (source.width, source.height) != (listed.width, listed.height):
        raise problem(
            "images",
            source.where,
            f"the file is {source.width}×{source.height} "
            f"but the COCO file says {listed.width}×{listed.height}",
        )


def _boxes_create(coco: CocoData, items: list[Item], labels: dict, user) -> int:
    item_by_name = {item.name: item for item in items}
    item_for = {image_id: item_by_name[image.name] for image_id, image in coco.images.items()}
    label_for = {category_id: labels[name] for category_id, name in coco.categories}
    annotations = [
        Annotation(
            item=item_for[image_id],
            label=label_for[category_id],
            kind=AnnotationKind.BOX,
            x=x,
            y=y,
            w=w,
            h=h,
            created_by=user,
        )
        for image_id, category_id, (x, y, w, h) in coco.boxes
    ]
    Annotation.objects.bulk_create(annotations, batch_size=BATCH_SIZE)
    return len(annotations)
