"""POST /api/v1/evaluations/{id}/predictions: all or nothing, errors naming the row."""

import pytest

from data.models import Item
from evaluation.models import EvalPrediction
from tests.errors import error_of
from tests.evaluation.evaluations.conftest import SIDE
from tests.evaluation.evaluations.generated import detection_set


@pytest.fixture
def stored(store):
    gts, _ = detection_set(seed=9, images=3, labels=2)
    return store(gts, [], 3, 2)


@pytest.fixture
def post(cast, api_as, stored):
    def send(rows, role="developer"):
        path = f"/api/v1/evaluations/{stored.evaluation.id}/predictions"
        return api_as(cast.user(role)).post(path, {"predictions": rows}, format="json")

    return send


def good(stored, **changes) -> dict:
    row = {"item": stored.items[1], "label": "1", "confidence": 0.9, "box": [10, 10, 20, 20]}
    return {**row, **changes}


def test_it_stores_predictions_named_by_id_or_file_name(post, stored):
    rows = [
        good(stored, box=[10, 10.5, 20, 20.25]),
        good(stored, item="img_00002.png", label="2", confidence=1),
    ]
    response = post(rows)
    assert response.status_code == 201
    assert response.json() == {"accepted": 2}
    stored.evaluation.refresh_from_db()
    assert stored.evaluation.prediction_count == 2
    second = EvalPrediction.objects.get(item_id=stored.items[2])
    assert (second.label.name, second.confidence, second.w) == ("2", 1.0, 20)


BAD_ROWS = {
    "item": {"item": 999_999},
    "item_name": {"item": "nope.png"},
    "label": {"label": "zebra"},
    "confidence_high": {"confidence": 1.5},
    "confidence_negative": {"confidence": -0.1},
    "confidence_text": {"confidence": "high"},
    "box_outside": {"box": [SIDE - 5, 10, 20, 20]},
    "box_negative": {"box": [-3, 10, 20, 20]},
    "box_shape": {"box": [1, 2, 3]},
    "box_missing": {"box": None},
    "box_empty": {"box": [1, 1, 0, 5]},
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_is_a_400_naming_it_and_nothing_is_stored(post, stored, case):
    rows = [good(stored), good(stored), good(stored), good(stored, **BAD_ROWS[case])]
    response = post(rows)
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    field = case.split("_")[0]
    assert list(fields) == [f"predictions[3].{field}"]
    assert not EvalPrediction.objects.exists()


def test_an_item_outside_the_subset_is_unknown(post, stored):
    Item.objects.filter(pk=stored.items[2]).update(subset="train")
    response = post([good(stored, item=stored.items[2])])
    assert response.status_code == 400
    assert "test subset" in error_of(response)["fields"]["predictions[0].item"]


def test_a_row_that_is_not_an_object_is_named(post):
    response = post(["bolt"])
    assert list(error_of(response)["fields"]) == ["predictions[0].item"]


def test_it_refuses_more_than_10000_rows(post, stored):
    response = post([good(stored)] * 10_001)
    assert response.status_code == 400
    assert "10000" in error_of(response)["message"]
    assert not EvalPrediction.objects.exists()


def test_it_refuses_predictions_once_finished(post, stored):
    stored.evaluation.status = "queued"
    stored.evaluation.save()
    response = post([good(stored)])
    assert response.status_code == 400
    assert "queued" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("role", "expected"), [("annotator", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_developers_upload(post, stored, role, expected):
    assert post([good(stored)], role=role).status_code == expected
    assert not EvalPrediction.objects.exists()


def test_a_classification_evaluation_takes_no_boxes(cast, api_as, store):
    stored = store([], [], 2, 2, kind="class")
    path = f"/api/v1/evaluations/{stored.evaluation.id}/predictions/"
    rows = [
        {"item": stored.items[1], "label": "1", "confidence": 0.7},
        {"item": stored.items[1], "label": "2", "confidence": 0.3, "box": [0, 0, 1, 1]},
    ]
    response = api_as(cast.developer).post(path, {"predictions": rows}, format="json")
    assert list(error_of(response)["fields"]) == ["predictions[1].box"]
    response = api_as(cast.developer).post(path, {"predictions": rows[:1]}, format="json")
    assert response.json() == {"accepted": 1}
