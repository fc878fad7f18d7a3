"""evaluation_compute: the stored matches and metrics, checked against pycocotools."""

import numpy as np
import pytest

from evaluation.models import IOU_THRESHOLDS, EvalGroundTruth, EvalPrediction
from evaluation.selectors import counts_at
from evaluation.services import evaluation_compute
from tests.evaluation.evaluations.generated import coco_eval, coco_label_ap, detection_set

IMAGES, LABELS = 40, 3


@pytest.fixture
def computed(store):
    gts, dets = detection_set(seed=21, images=IMAGES, labels=LABELS, max_gts=12, extra=6)
    stored = store(gts, dets, IMAGES, LABELS)
    evaluation_compute(evaluation=stored.evaluation)
    return gts, dets, stored


def fresh_counts(gts, dets, t: int, min_confidence: float, label: int | None = None):
    """TP / FP / FN of pycocotools' own matching, the detections below the confidence dropped."""
    kept = [d for d in dets if d["score"] >= min_confidence]
    if label is not None:
        gts = [g for g in gts if g["category_id"] == label]
        kept = [d for d in kept if d["category_id"] == label]
    if not kept:
        return {"tp": 0, "fp": 0, "fn": len(gts)}
    reference = coco_eval(gts, kept, IMAGES, LABELS) if gts else None
    if reference is None:
        return {"tp": 0, "fp": len(kept), "fn": 0}
    everything = [e for e in reference.evalImgs if e is not None and e["aRng"] == [0, 1e10]]
    tp = sum(int(np.count_nonzero(e["dtMatches"][t] > 0)) for e in everything)
    return {"tp": tp, "fp": len(kept) - tp, "fn": len(gts) - tp}


def test_it_stores_metrics_equal_to_cocoeval(computed):
    gts, dets, stored = computed
    reference = coco_eval(gts, dets, IMAGES, LABELS)
    evaluation = stored.evaluation
    evaluation.refresh_from_db()
    assert evaluation.status == "succeeded"
    assert evaluation.summary["mAP"] == pytest.approx(reference.stats[0], abs=1e-6)
    assert evaluation.summary["AP50"] == pytest.approx(reference.stats[1], abs=1e-6)
    assert evaluation.summary["AP75"] == pytest.approx(reference.stats[2], abs=1e-6)
    assert evaluation.summary["recall"] == pytest.approx(reference.stats[8], abs=1e-6)
    for k in range(LABELS):
        expected = coco_label_ap(reference, k)
        assert evaluation.per_label[str(k + 1)]["AP"] == pytest.approx(expected, abs=1e-6)


def test_it_counts_what_it_stored(computed):
    gts, dets, stored = computed
    evaluation = stored.evaluation
    evaluation.refresh_from_db()
    assert evaluation.ground_truth_count == len(gts) == EvalGroundTruth.objects.count()
    assert evaluation.prediction_count == len(dets) == EvalPrediction.objects.count()
    assert evaluation.item_count == IMAGES


@pytest.mark.parametrize("seed", range(6))
def test_counts_at_random_pairs_equal_a_fresh_cocoeval_matching(computed, seed):
    gts, dets, stored = computed
    rng = np.random.default_rng(seed)
    t = int(rng.integers(len(IOU_THRESHOLDS)))
    min_confidence = round(float(rng.random()), 2)
    found = counts_at(stored.evaluation, iou=IOU_THRESHOLDS[t], min_confidence=min_confidence)
    expected = fresh_counts(gts, dets, t, min_confidence)
    assert {key: found[key] for key in ("tp", "fp", "fn")} == expected
    label = int(rng.integers(1, LABELS + 1))
    found = counts_at(
        stored.evaluation,
        iou=IOU_THRESHOLDS[t],
        min_confidence=min_confidence,
        label_id=stored.labels[label],
    )
    expected = fresh_counts(gts, dets, t, min_confidence, label=label)
    assert {key: found[key] for key in ("tp", "fp", "fn")} == expected


def test_the_confusion_matrix_accounts_for_every_prediction(computed):
    gts, dets, stored = computed
    stored.evaluation.refresh_from_db()
    confusion = stored.evaluation.confusion
    matrix = np.array(confusion["matrix"])
    assert confusion["labels"][-1] == "background"
    # Columns of real labels hold every prediction (confidence threshold 0).
    assert matrix[:, :-1].sum() == len(dets)
    found = counts_at(stored.evaluation, iou=0.5)
    assert np.trace(matrix[:-1, :-1]) == found["tp"]


def test_a_failure_marks_the_evaluation_failed(store, monkeypatch):
    gts, dets = detection_set(seed=3, images=5, labels=2)
    stored = store(gts, dets, 5, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("evaluation.compute.match", broken)
    with pytest.raises(RuntimeError):
        evaluation_compute(evaluation=stored.evaluation)
    stored.evaluation.refresh_from_db()
    assert stored.evaluation.status == "failed"
    assert "disk full" in stored.evaluation.error


def test_cocoeval_reference_sees_the_same_ties(computed):
    """Scores have two decimals, so the equality above covers COCO's tie order."""
    _, dets, _ = computed
    scores = [d["score"] for d in dets]
    assert len(set(scores)) < len(scores)


def test_an_evaluation_without_predictions_scores_zero(store):
    gts, _ = detection_set(seed=14, images=4, labels=2)
    stored = store(gts, [], 4, 2)
    evaluation = evaluation_compute(evaluation=stored.evaluation)
    assert evaluation.status == "succeeded"
    assert evaluation.summary["mAP"] == 0
    assert evaluation.summary["counts"]["fn"] == len(gts)


def test_an_evaluation_without_ground_truth_has_no_map(store):
    _, dets = detection_set(seed=15, images=4, labels=2)
    stored = store([], dets, 4, 2)
    evaluation = evaluation_compute(evaluation=stored.evaluation)
    assert evaluation.summary["mAP"] is None
    assert evaluation.summary["counts"]["fp"] == len(dets)
