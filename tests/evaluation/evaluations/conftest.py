"""Box and class evaluations stored in the database, from generated sets."""

from dataclasses import dataclass

import pytest

from data.models import Annotation, Dataset, Item, Label
from evaluation.services import evaluation_create, predictions_add
from tests.factories import ModelVersionFactory, PackageFactory

SIDE = 640


@dataclass
class Stored:
    evaluation: object
    items: dict  # image number → Item id
    labels: dict  # label number → Label id


def store_set(project, gts, dets, images: int, labels: int, kind: str = "box", user=None):
    """The generated set as a dataset, a model and an offline evaluation with predictions."""
    dataset = Dataset.objects.create(project=project, name=f"set-{kind}", annotation_kind=kind)
    label_rows = Label.objects.bulk_create(
        Label(dataset=dataset, name=str(k), position=k) for k in range(1, labels + 1)
    )
    item_rows = Item.objects.bulk_create(
        Item(
            dataset=dataset,
            name=f"img_{i:05d}.png",
            file=f"x/{i}.png",
            content_type="image/png",
            width=SIDE,
            height=SIDE,
            subset="test",
        )
        for i in range(1, images + 1)
    )
    items = {i: item.id for i, item in enumerate(item_rows, start=1)}
    label_ids = {k: label.id for k, label in enumerate(label_rows, start=1)}
    Annotation.objects.bulk_create(_truth(gts, items, label_ids, kind))
    package = PackageFactory(project=None, output_type=kind)
    model = ModelVersionFactory(project=project, package=package)
    evaluation = evaluation_create(model=model, dataset=dataset, user=user, subset="test")
    rows = [_prediction(d, items, kind) for d in dets]
    for lo in range(0, len(rows), 10_000):
        predictions_add(evaluation=evaluation, rows=rows[lo : lo + 10_000])
    evaluation.refresh_from_db()
    return Stored(evaluation, items, label_ids)


def _truth(gts, items, labels, kind):
    for g in gts:
        x, y, w, h = g["bbox"] if kind == "box" else (None,) * 4
        yield Annotation(
            item_id=items[g["image_id"]],
            label_id=labels[g["category_id"]],
            kind=kind,
            x=x,
            y=y,
            w=w,
            h=h,
        )


def _prediction(d: dict, items: dict, kind: str) -> dict:
    row = {"item": items[d["image_id"]], "label": str(d["category_id"]), "confidence": d["score"]}
    if kind == "box":
        row["box"] = d["bbox"]
    return row


@pytest.fixture
def store(cast):
    def build(gts, dets, images, labels, kind="box"):
        return store_set(cast.project, gts, dets, images, labels, kind, user=cast.developer)

    return build
