"""Two evaluations of one dataset to compare: a small hand-built pair, and generated ones.

The hand-built pair (`scene`), at IoU 0.50 and confidence 0:
  img a  cat  found by the baseline, missed now           → regressed (cat)
         dog  found by both (baseline at 0.4)             → none; fixed from confidence 0.5
  img b  dog  missed by the baseline, found now           → fixed (dog)
         a cat false positive in both                     → none
  img c  cat  found by both                               → none
         two dog false positives now, none before         → 2 new FP (dog)
  img d  a cat false positive before (0.3), none now      → 1 FP gone (cat)
so 1 regressed, 1 fixed, 2 new FP, 1 FP gone; items c, a, b, d in that (worst-first) order.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from data.models import Annotation, AnnotationKind
from evaluation.models import Evaluation
from evaluation.services import evaluation_compute, evaluation_create, predictions_add
from tests.evaluation.evaluations.conftest import store_set
from tests.evaluation.evaluations.generated import detection_set
from tests.evaluation.review.conftest import ground_truth, prediction
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
)


def diff_url(evaluation, query: str = "", project=None) -> str:
    project_id = (project or evaluation.project).id
    return f"/projects/{project_id}/evaluations/{evaluation.id}/diff/{query}"


def api_diff_url(evaluation) -> str:
    return f"/api/v1/evaluations/{evaluation.id}/diff"


def evaluation_of(project, dataset, model_name: str, name: str, **fields) -> Evaluation:
    model = ModelVersionFactory(project=project, name=model_name)
    defaults = {"kind": dataset.annotation_kind, "mode": "offline", "status": "succeeded"}
    return Evaluation.objects.create(
        project=project, model=model, dataset=dataset, name=name, **{**defaults, **fields}
    )


@dataclass
class Scene:
    current: Evaluation
    baseline: Evaluation
    cat: object
    dog: object
    items: dict  # name → Item


def _truth(evaluation, item, label, box, annotation, confidence=None):
    """A ground truth matched at IoU .50 to .80 by a prediction of `confidence`, if any."""
    row = ground_truth(
        evaluation,
        item,
        label,
        box,
        "80" if confidence is not None else None,
        confidence,
        annotation_id=annotation.id,
    )
    if confidence is not None:
        prediction(evaluation, item, label, confidence, box, row, "80", iou_same=0.9, iou_any=0.9)
    return row


def _annotation(item, label, box):
    x, y, w, h = box
    return AnnotationFactory(item=item, label=label, kind="box", x=x, y=y, w=w, h=h)


@pytest.fixture
def scene(cast) -> Scene:
    dataset = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.BOX)
    cat = LabelFactory(dataset=dataset, name="cat", color="#ff7f0e", position=0)
    dog = LabelFactory(dataset=dataset, name="dog", color="#2ca02c", position=1)
    items = {name: ItemFactory(dataset=dataset, name=name, width=64, height=48) for name in "abcd"}
    a, b, c, d = items.values()
    boxes = {
        "cat_a": (4, 4, 20, 20),
        "dog_a": (30, 4, 20, 20),
        "dog_b": (30, 10, 20, 20),
        "cat_c": (2, 2, 10, 10),
    }
    notes = {
        key: _annotation(items[key[-1]], cat if key.startswith("cat") else dog, box)
        for key, box in boxes.items()
    }
    baseline = evaluation_of(cast.project, dataset, "old detector", "old run")
    current = evaluation_of(cast.project, dataset, "new detector", "new run")
    found = {  # confidence of the match, baseline then current (None: missed)
        "cat_a": (0.9, None),
        "dog_a": (0.4, 0.9),
        "dog_b": (None, 0.8),
        "cat_c": (0.9, 0.9),
    }
    for key, (before, now) in found.items():
        item, label = items[key[-1]], cat if key.startswith("cat") else dog
        _truth(baseline, item, label, boxes[key], notes[key], before)
        _truth(current, item, label, boxes[key], notes[key], now)
    for evaluation in (baseline, current):
        prediction(evaluation, b, cat, 0.6, (1, 1, 8, 8))
    prediction(current, c, dog, 0.7, (40, 30, 10, 10))
    prediction(current, c, dog, 0.6, (44, 30, 10, 10))
    prediction(baseline, d, cat, 0.3, (5, 5, 10, 10))
    return Scene(current=current, baseline=baseline, cat=cat, dog=dog, items=items)


# --- Generated pairs ---------------------------------------------------------------


@dataclass
class Pair:
    current: Evaluation
    baseline: Evaluation
    labels: dict  # label number → Label id


def _class_set(rng, images: int, labels: int) -> tuple[list, list]:
    """One true label per item, up to three scored guesses."""
    gts, dets = [], []
    for image in range(1, images + 1):
        gts.append({"image_id": image, "category_id": int(rng.integers(1, labels + 1))})
        for guess in rng.permutation(np.arange(1, labels + 1))[: int(rng.integers(0, 4))]:
            score = round(float(rng.random()), 2)
            dets.append({"image_id": image, "category_id": int(guess), "score": score})
    return gts, dets


def _retrained(dets: list, rng, kind: str, images: int, labels: int) -> list:
    """Another model's predictions: some dropped, rescored or moved, some added."""
    found = []
    for det in dets:
        if rng.random() < 0.2:
            continue
        det = dict(det, score=round(float(rng.random()), 2)) if rng.random() < 0.4 else dict(det)
        if kind == "box" and rng.random() < 0.15:
            x, y, w, h = det["bbox"]
            det["bbox"] = [max(x + float(rng.uniform(-15, 15)), 0.0), y, w, h]
        found.append(det)
    for _ in range(images // 2):
        extra = {"image_id": int(rng.integers(1, images + 1)), "score": round(rng.random(), 2)}
        extra["category_id"] = int(rng.integers(1, labels + 1))
        if kind == "box":
            extra["bbox"] = [float(v) for v in (*rng.uniform(0, 400, 2), *rng.uniform(4, 120, 2))]
        found.append(extra)
    return found


def _rows(dets: list, items: dict, kind: str) -> list[dict]:
    rows = []
    for det in dets:
        row = {"item": items[det["image_id"]], "label": str(det["category_id"])}
        row["confidence"] = det["score"]
        if kind == "box":
            row["box"] = det["bbox"]
        rows.append(row)
    return rows


def _edit_ground_truth(stored, rng) -> None:
    """Between the two evaluations one annotation goes, one comes (both stay unpaired)
    and a few are relabelled (each another ground truth then, unpaired too)."""
    rows = Annotation.objects.filter(item__dataset=stored.evaluation.dataset)
    ids = list(rows.order_by("id").values_list("id", flat=True))
    picked = rng.choice(ids, size=7, replace=False).tolist()
    Annotation.objects.filter(pk=picked[0]).delete()
    labels = sorted(stored.labels.values())
    for one in Annotation.objects.filter(pk__in=picked[1:]):
        one.label_id = labels[(labels.index(one.label_id) + 1) % len(labels)]
        one.save()
    copy = rows.order_by("id").first()
    copy.pk = None
    copy.save()


def generated_pair(cast, kind: str, seed: int, images: int = 40, labels: int = 3) -> Pair:
    rng = np.random.default_rng(seed)
    if kind == "box":
        gts, dets = detection_set(seed, images=images, labels=labels)
    else:
        gts, dets = _class_set(rng, images, labels)
    stored = store_set(cast.project, gts, dets, images, labels, kind, user=cast.developer)
    evaluation_compute(evaluation=stored.evaluation)
    model = ModelVersionFactory(project=cast.project, package=stored.evaluation.model.package)
    current = evaluation_create(model=model, dataset=stored.evaluation.dataset, user=None)
    predictions_add(
        evaluation=current,
        rows=_rows(_retrained(dets, rng, kind, images, labels), stored.items, kind),
    )
    _edit_ground_truth(stored, rng)
    evaluation_compute(evaluation=current)
    stored.evaluation.refresh_from_db()
    current.refresh_from_db()
    return Pair(current=current, baseline=stored.evaluation, labels=stored.labels)
