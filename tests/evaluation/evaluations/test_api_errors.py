"""GET /evaluations/{id}/errors and /counts: the kinds of error, filters, and agreement."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.selectors import FN_KINDS, FP_KINDS, counts_at, errors_at
from evaluation.services import evaluation_compute
from tests.evaluation.evaluations.generated import det, detection_set, gt


@pytest.fixture
def scene(store):
    """Label 1 "cat", label 2 "dog": one error of each kind."""
    gts = [gt(1, 1, [0, 0, 10, 10]), gt(1, 2, [50, 50, 10, 10]), gt(1, 1, [100, 100, 10, 10])]
    dets = [
        det(1, 1, [0, 0, 10, 10], 0.9),  # TP
        det(1, 1, [0, 0, 10, 10], 0.8),  # duplicate
        det(1, 1, [5, 5, 10, 10], 0.7),  # poor localisation (IoU 1/7)
        det(1, 1, [50, 50, 10, 10], 0.6),  # wrong label, and makes the dog a wrong-label FN
        det(1, 1, [200, 200, 10, 10], 0.5),  # background
    ]
    stored = store(gts, dets, 2, 2)
    evaluation_compute(evaluation=stored.evaluation)
    return stored


def kinds(cast, api_as, stored, **query) -> dict:
    path = f"/api/v1/evaluations/{stored.evaluation.id}/errors"
    rows = api_as(cast.viewer).get(path, query).json()["results"]
    return {(row["label"], row["box"][0]): row["error_kind"] for row in rows}


def test_false_positives_have_their_kind(cast, api_as, scene):
    assert kinds(cast, api_as, scene, kind="fp") == {
        ("1", 0): "duplicate",
        ("1", 5): "poor_localisation",
        ("1", 50): "wrong_label",
        ("1", 200): "background",
    }


def test_false_negatives_have_their_kind(cast, api_as, scene):
    assert kinds(cast, api_as, scene, kind="fn") == {("2", 50): "wrong_label", ("1", 100): "missed"}


def test_a_confidence_threshold_turns_matches_into_misses(cast, api_as, scene):
    found = kinds(cast, api_as, scene, kind="fn", min_confidence=0.95)
    assert found[("1", 0)] == "missed"


def test_it_filters_by_label_and_kind(cast, api_as, scene):
    assert kinds(cast, api_as, scene, kind="fp", error_kind="duplicate") == {("1", 0): "duplicate"}
    assert kinds(cast, api_as, scene, kind="fn", label="2") == {("2", 50): "wrong_label"}


def test_an_unknown_label_or_kind_is_a_400(cast, api_as, scene):
    path = f"/api/v1/evaluations/{scene.evaluation.id}/errors"
    assert api_as(cast.viewer).get(path, {"label": "zebra"}).status_code == 400
    assert api_as(cast.viewer).get(path, {"kind": "tp"}).status_code == 400
    assert api_as(cast.viewer).get(path, {"iou": "0.3"}).status_code == 400


def test_counts_answer_per_label_name(cast, api_as, scene):
    path = f"/api/v1/evaluations/{scene.evaluation.id}/counts"
    body = api_as(cast.viewer).get(path, {"iou": 0.52}).json()
    assert (body["tp"], body["fp"], body["fn"], body["iou"]) == (1, 4, 2, 0.5)
    assert body["per_label"]["1"]["fp"] == 4
    assert body["per_label"]["2"]["fn"] == 1


@pytest.fixture
def generated(store):
    gts, dets = detection_set(seed=31, images=30, labels=3, max_gts=10, extra=5)
    stored = store(gts, dets, 30, 3)
    evaluation_compute(evaluation=stored.evaluation)
    return stored


@pytest.mark.parametrize("seed", range(8))
def test_counts_always_agree_with_the_lists_under_them(cast, api_as, generated, seed):
    rng = np.random.default_rng(seed)
    evaluation = generated.evaluation
    iou = round(float(rng.choice(np.arange(0.5, 0.96, 0.05))), 2)
    min_confidence = round(float(rng.random() * 0.8), 2)
    label = int(rng.integers(1, 4)) if seed % 2 else None
    label_id = generated.labels[label] if label else None
    counts = counts_at(evaluation, iou=iou, min_confidence=min_confidence, label_id=label_id)
    path = f"/api/v1/evaluations/{evaluation.id}/errors"
    client = api_as(cast.viewer)
    for kind, kinds_of in (("fp", FP_KINDS), ("fn", FN_KINDS)):
        query = {"kind": kind, "iou": iou, "min_confidence": min_confidence}
        if label:
            query["label"] = str(label)
        assert client.get(path, query).json()["count"] == counts[kind]
        by_kind = [client.get(path, {**query, "error_kind": k}).json()["count"] for k in kinds_of]
        assert sum(by_kind) == counts[kind]
        listed = errors_at(
            evaluation, kind=kind, iou=iou, min_confidence=min_confidence, label_id=label_id
        )
        assert listed.count() == counts[kind]


def test_the_errors_page_costs_the_same_queries_whatever_its_size(cast, api_as, generated):
    path = f"/api/v1/evaluations/{generated.evaluation.id}/errors"
    client = api_as(cast.viewer)
    client.get(path)  # warm the membership cache of the session
    costs = []
    for kind in ("fp", "fn"):
        for size in (2, 40):
            with CaptureQueriesContext(connection) as queries:
                body = client.get(path, {"kind": kind, "page_size": size}).json()
            assert len(body["results"]) == size
            costs.append(len(queries))
        assert costs[-1] == costs[-2]


def test_errors_are_ordered_as_asked(cast, api_as, generated):
    path = f"/api/v1/evaluations/{generated.evaluation.id}/errors"
    client = api_as(cast.viewer)
    rows = client.get(path, {"order": "confidence", "page_size": 100}).json()["results"]
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    rows = client.get(path, {"order": "-iou", "page_size": 100}).json()["results"]
    assert [r["iou_any"] for r in rows] == sorted((r["iou_any"] for r in rows), reverse=True)
