"""A small box evaluation built by hand: the stored matches are filled in directly.

At IoU 0.50 and confidence 0 it has 1 TP (cat on img_a), 3 FP (a duplicate cat on
img_a, a cat on img_b's dog, a dog on empty background in img_c) and 2 FN (img_b's
dog, covered by the wrong label, and img_c's cat, missed).
"""

from dataclasses import dataclass

import pytest

from data.models import AnnotationKind
from evaluation.models import THRESHOLD_KEYS, EvalGroundTruth, EvalPrediction, Evaluation
from tests.factories import DatasetFactory, ItemFactory, LabelFactory, ModelVersionFactory

SUMMARY = {"mAP": 0.4321, "AP50": 0.7654, "AP75": 0.3456, "recall": 0.5678}
PER_LABEL = {
    "cat": {"ap": 0.61, "precision": 0.5, "recall": 0.5, "support": 2},
    "dog": {"ap": 0.25, "precision": 0.0, "recall": 0.0, "support": 1},
}


def review_url(evaluation, project=None, query: str = "") -> str:
    project_id = (project or evaluation.project).id
    return f"/projects/{project_id}/evaluations/{evaluation.id}/{query}"


def ground_truth(evaluation, item, label, box, matched_until=None, confidence=None, **extra):
    """A GT matched (by a prediction of `confidence`) at every IoU key up to `matched_until`."""
    confs = {
        f"conf_{key}": confidence if matched_until and key <= matched_until else None
        for key in THRESHOLD_KEYS
    }
    x, y, w, h = box
    return EvalGroundTruth.objects.create(
        evaluation=evaluation, item=item, label=label, x=x, y=y, w=w, h=h, **confs, **extra
    )


def prediction(evaluation, item, label, confidence, box, matched=None, matched_until=None, **extra):
    matches = {
        f"match_{key}": matched.id if matched and key <= matched_until else None
        for key in THRESHOLD_KEYS
    }
    x, y, w, h = box
    return EvalPrediction.objects.create(
        evaluation=evaluation,
        item=item,
        label=label,
        confidence=confidence,
        x=x,
        y=y,
        w=w,
        h=h,
        **matches,
        **extra,
    )


@dataclass
class Built:
    evaluation: Evaluation
    cat: object
    dog: object
    items: list


def make_evaluation(project, dataset, **fields) -> Evaluation:
    model = ModelVersionFactory(project=project, name=f"detector-{dataset.id}")
    defaults = {
        "name": "test run",
        "kind": "box",
        "mode": "offline",
        "status": "succeeded",
        "summary": SUMMARY,
        "per_label": PER_LABEL,
    }
    return Evaluation.objects.create(
        project=project, model=model, dataset=dataset, **{**defaults, **fields}
    )


@pytest.fixture
def built(cast) -> Built:
    dataset = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.BOX)
    cat = LabelFactory(dataset=dataset, name="cat", color="#ff7f0e")
    dog = LabelFactory(dataset=dataset, name="dog", color="#2ca02c")
    items = [ItemFactory(dataset=dataset, name=name, width=64, height=48) for name in "abc"]
    evaluation = make_evaluation(
        cast.project,
        dataset,
        confusion={
            "labels": ["cat", "dog", "background"],
            "matrix": [[1, 0, 1], [1, 0, 0], [1, 1, 0]],
        },
        pr_curves={
            "cat": {"recall": [0, 0.5], "precision": [1, 1]},
            "dog": {"recall": [0], "precision": [0]},
        },
        item_count=3,
        prediction_count=4,
        ground_truth_count=3,
    )
    a, b, c = items
    cat_a = ground_truth(
        evaluation, a, cat, (4, 4, 20, 20), "80", 0.9, best_iou_any=0.8, best_label_any=cat
    )
    prediction(
        evaluation,
        a,
        cat,
        0.9,
        (5, 5, 20, 20),
        cat_a,
        "80",
        iou_same=0.8,
        iou_any=0.8,
        best_gt_any=cat_a.id,
    )
    prediction(
        evaluation, a, cat, 0.3, (8, 8, 20, 20), iou_same=0.6, iou_any=0.6, best_gt_any=cat_a.id
    )
    dog_b = ground_truth(evaluation, b, dog, (30, 10, 20, 20), best_iou_any=0.7, best_label_any=cat)
    prediction(
        evaluation, b, cat, 0.6, (31, 12, 20, 20), iou_same=0.0, iou_any=0.7, best_gt_any=dog_b.id
    )
    prediction(evaluation, c, dog, 0.5, (40, 30, 10, 10))
    ground_truth(evaluation, c, cat, (2, 2, 10, 10))
    return Built(evaluation=evaluation, cat=cat, dog=dog, items=items)
