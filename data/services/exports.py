"""The COCO export of a dataset, streamed as JSON text in chunks."""

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from data.models import Annotation, AnnotationKind, Dataset

CHUNK_ROWS = 2000


def dataset_export_coco(dataset: Dataset) -> Iterator[str]:
    """COCO JSON of the ground truth: categories from the label map in order (ids 1..n),
    image ids = item ids, boxes as floats. Class labels go out without a bbox.

    Rows are read in keyset-paginated chunks, so a million items never sit in memory.
    """
    labels = list(dataset.labels.order_by("position", "id").values_list("id", "name"))
    categories = [{"id": index, "name": name} for index, (_, name) in enumerate(labels, start=1)]
    category_ids = {pk: index for index, (pk, _) in enumerate(labels, start=1)}
    yield _header(dataset, categories)
    yield from _joined(_image_rows(dataset))
    yield '],\n"annotations": ['
    yield from _joined(_annotation_rows(dataset, category_ids))
    yield "]}\n"


def _header(dataset: Dataset, categories: list[dict]) -> str:
    info = {
        "description": dataset.name,
        "version": "1",
        "date_created": timezone.now().isoformat(),
        "contributor": "Modelyard",
    }
    return (
        f'{{"info": {json.dumps(info)},\n"licenses": [],\n'
        f'"categories": {json.dumps(categories)},\n"images": ['
    )


def _image_rows(dataset: Dataset) -> Iterator[dict]:
    rows = dataset.items.values("id", "name", "width", "height")
    for row in _keyset(rows):
        yield {
            "id": row["id"],
            "file_name": row["name"],
            "width": row["width"],
            "height": row["height"],
        }


def _annotation_rows(dataset: Dataset, category_ids: dict[int, int]) -> Iterator[dict]:
    rows = Annotation.objects.filter(item__dataset=dataset, model__isnull=True).values(
        "id", "item_id", "label_id", "kind", "x", "y", "w", "h"
    )
    for row in _keyset(rows):
        coco = {
            "id": row["id"],
            "image_id": row["item_id"],
            "category_id": category_ids[row["label_id"]],
        }
        if row["kind"] == AnnotationKind.BOX:
            box = [float(row[key]) for key in ("x", "y", "w", "h")]
            coco.update(bbox=box, area=box[2] * box[3], iscrowd=0)
        yield coco


def _keyset(rows: QuerySet) -> Iterator[dict]:
    """Rows in id order, CHUNK_ROWS per query, each query starting after the last id seen."""
    last_id = 0
    while True:
        chunk = list(rows.filter(id__gt=last_id).order_by("id")[:CHUNK_ROWS])
        yield from chunk
        if len(chunk) < CHUNK_ROWS:
            return
        last_id = chunk[-1]["id"]


def _joined(rows: Iterator[dict]) -> Iterator[str]:
    """JSON array elements, comma-separated, a few hundred per yielded string."""
    batch: list[str] = []
    separator = "\n"
    for row in rows:
        batch.append(json.dumps(row))
        if len(batch) == 500:
            yield separator + ",\n".join(batch)
            batch, separator = [], ",\n"
    if batch:
        yield separator + ",\n".join(batch)
