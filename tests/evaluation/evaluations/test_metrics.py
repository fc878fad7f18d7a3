"""Our detection metrics against pycocotools' COCOeval on generated sets."""

import numpy as np
import pytest

from evaluation.matching import match
from evaluation.metrics import detection_metrics
from tests.evaluation.evaluations.generated import (
    as_boxes,
    coco_eval,
    coco_label_ap,
    detection_set,
)

SETS = {
    "mixed": {"seed": 1},
    "crowded": {"seed": 2, "images": 20, "max_gts": 40, "extra": 10},
    "many_empty_images": {"seed": 3, "empty_share": 0.5},
    "many_images_without_predictions": {"seed": 4, "no_prediction_share": 0.5},
    "duplicates": {"seed": 5, "duplicates": 0.9},
    "all_one_label": {"seed": 6, "labels": 1},
    "over_100_detections": {"seed": 7, "images": 5, "labels": 2, "max_gts": 60, "extra": 300},
    "rare_labels": {"seed": 8, "images": 10, "labels": 12},
}


def ours(gts, dets, labels: int) -> dict:
    truth, found = as_boxes(gts, scored=False), as_boxes(dets, scored=True)
    names = {k: str(k) for k in range(1, labels + 1)}
    return detection_metrics(found, truth, match(found, truth), names)


@pytest.mark.parametrize("name", SETS)
def test_detection_metrics_equal_cocoeval(name):
    options = {"images": 60, "labels": 4, **SETS[name]}
    gts, dets = detection_set(**options)
    reference = coco_eval(gts, dets, options["images"], options["labels"])
    result = ours(gts, dets, options["labels"])
    summary = result["summary"]
    assert summary["mAP"] == pytest.approx(reference.stats[0], abs=1e-6)
    assert summary["AP50"] == pytest.approx(reference.stats[1], abs=1e-6)
    assert summary["AP75"] == pytest.approx(reference.stats[2], abs=1e-6)
    assert summary["recall"] == pytest.approx(reference.stats[8], abs=1e-6)
    for k in range(options["labels"]):
        expected = coco_label_ap(reference, k)
        got = result["per_label"][str(k + 1)]["AP"]
        assert (got is None) == (expected is None)
        if expected is not None:
            assert got == pytest.approx(expected, abs=1e-6)


def test_the_pr_curve_at_iou_50_is_cocos_interpolated_precision():
    gts, dets = detection_set(seed=11)
    reference = coco_eval(gts, dets, 60, 4)
    curve = ours(gts, dets, 4)["pr_curves"]["1"]
    assert len(curve["precision"]) == 101
    assert np.allclose(curve["precision"], reference.eval["precision"][0, :, 0, 0, -1], atol=1e-6)


def test_a_label_without_ground_truth_is_left_out_of_map():
    gts = [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10]}]
    dets = [
        {"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.9},
        {"image_id": 1, "category_id": 2, "bbox": [50, 50, 10, 10], "score": 0.8},
    ]
    result = ours(gts, dets, 2)
    assert result["summary"]["mAP"] == pytest.approx(1.0)
    assert result["per_label"]["2"]["AP"] is None


def test_matching_in_many_small_chunks_gives_the_same_metrics(monkeypatch):
    gts, dets = detection_set(seed=17)
    whole = ours(gts, dets, 4)["summary"]
    monkeypatch.setattr("evaluation.matching.PAIRS_PER_CHUNK", 50)
    assert ours(gts, dets, 4)["summary"] == whole
    assert whole["mAP"] == pytest.approx(coco_eval(gts, dets, 60, 4).stats[0], abs=1e-6)
