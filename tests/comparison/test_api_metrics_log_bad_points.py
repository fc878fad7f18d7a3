"""POST /api/v1/models/{id}/metrics: one bad point in a full batch is named, nothing is stored.

A batch of plain points is checked a column at a time; these tests hide one bad
point among 10,000 good ones and expect the same 400 as the point-by-point checks.
"""

import json

import pytest

from comparison.models import MetricChunk, MetricSeries
from tests.errors import error_of


def url(model) -> str:
    return f"/api/v1/models/{model.id}/metrics"


def stored_points() -> int:
    return sum(MetricChunk.objects.values_list("count", flat=True))


def full_batch() -> list[dict]:
    names = ("loss/train", "loss/val", "acc", "lr", "epoch")
    return [
        {"name": names[row % 5], "step": row // 5, "value": row * 0.25, "timestamp": 1e9 + row}
        for row in range(10_000)
    ]


BAD = [
    ("value", {"value": "high"}),
    ("value", {"value": None}),
    ("value", {"value": True}),
    ("value", {"value": [1.0]}),
    ("step", {"step": -1}),
    ("step", {"step": 2**63}),
    ("step", {"step": 3.0}),
    ("step", {"step": True}),
    ("step", {"step": "3"}),
    ("name", {"name": ""}),
    ("name", {"name": "loss,val"}),
    ("name", {"name": "tab\there"}),
    ("name", {"name": "x" * 251}),
    ("name", {"name": 7}),
    ("timestamp", {"timestamp": "now"}),
    ("timestamp", {"timestamp": False}),
]


@pytest.mark.parametrize("row", [0, 17, 9_999])
@pytest.mark.parametrize(("field", "change"), BAD, ids=[f"{f}={c[f]!r:.12}" for f, c in BAD])
def test_a_bad_point_in_a_full_batch_is_named_and_nothing_is_stored(
    cast, api_as, model, row, field, change
):
    batch = full_batch()
    batch[row] = {**batch[row], **change}

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == [f"metrics[{row}].{field}"]
    assert error["message"].startswith(f"metrics[{row}].{field}:")
    assert stored_points() == 0
    assert not MetricSeries.objects.exists()


@pytest.mark.parametrize("missing", ["name", "step", "value"])
def test_a_point_missing_a_field_is_named(cast, api_as, model, missing):
    batch = full_batch()
    del batch[4_321][missing]

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {f"metrics[4321].{missing}": "This field is required."}
    assert stored_points() == 0


def test_a_row_that_is_not_an_object_is_named_among_good_ones(cast, api_as, model):
    batch = full_batch()
    batch[500] = ["loss", 1, 0.5]

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["metrics[500].non_field_errors"]
    assert stored_points() == 0


@pytest.mark.parametrize("literal", ["1e999", "-1e999", "1" + "0" * 400])
def test_a_number_beyond_a_double_is_named_not_refused_as_bad_json(cast, api_as, model, literal):
    batch = full_batch()
    batch[9_000]["value"] = "HUGE"
    body = json.dumps({"metrics": batch}).replace('"HUGE"', literal)

    response = api_as(cast.developer).post(url(model), body, content_type="application/json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["metrics[9000].value"]
    assert stored_points() == 0


@pytest.mark.parametrize("name", ["température", "Ã©"])  # the second's bytes are UTF-8 "é"
def test_a_body_declared_latin_1_is_read_as_latin_1(cast, api_as, model, name):
    body = json.dumps({"metrics": [{"name": name, "step": 0, "value": 1.5}]}, ensure_ascii=False)

    response = api_as(cast.developer).post(
        url(model), body.encode("latin-1"), content_type="application/json; charset=latin-1"
    )

    assert response.status_code == 201
    assert MetricSeries.objects.get().name == name


def test_the_largest_step_there_is_is_accepted(cast, api_as, model):
    point = {"name": "loss", "step": 2**63 - 1, "value": 1.0}

    response = api_as(cast.developer).post(url(model), {"metrics": [point]}, format="json")

    assert response.status_code == 201
    assert MetricSeries.objects.get().last_step == 2**63 - 1
