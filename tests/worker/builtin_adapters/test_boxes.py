import pytest

from worker.adapters.boxes import detection_scores, iou, match_count, nms


def test_iou_of_a_box_with_itself_is_one():
    assert iou([3, 4, 10, 20], [3, 4, 10, 20]) == 1.0


def test_iou_of_boxes_that_only_touch_is_zero():
    assert iou([0, 0, 10, 10], [10, 0, 10, 10]) == 0.0


def test_iou_of_half_overlapping_boxes_is_a_third():
    assert iou([0, 0, 10, 10], [5, 0, 10, 10]) == pytest.approx(1 / 3)


def test_nms_drops_a_weaker_box_that_overlaps_a_stronger_one():
    boxes = [[0, 0, 10, 10], [1, 1, 10, 10], [50, 50, 10, 10]]
    assert nms(boxes, [0.6, 0.9, 0.5], threshold=0.45) == [1, 2]


def test_a_detection_of_the_wrong_label_matches_nothing():
    truths = [{"label": "circle", "box": [0, 0, 10, 10]}]
    assert match_count([{"label": "square", "confidence": 0.9, "box": [0, 0, 10, 10]}], truths) == 0


def test_one_truth_is_matched_by_one_detection_only():
    truths = [{"label": "circle", "box": [0, 0, 10, 10]}]
    twice = [{"label": "circle", "confidence": c, "box": [0, 0, 10, 10]} for c in (0.9, 0.8)]
    assert detection_scores([twice], [truths]) == {"recall": 1.0, "precision": 0.5}
