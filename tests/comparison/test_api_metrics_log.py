"""POST /api/v1/models/{id}/metrics: up to 10,000 points, all or nothing, developers only."""

import json
import math

import pytest

from comparison.models import MetricChunk, MetricSeries
from tests.errors import error_of
from tests.fixtures.versions import points


def url(model) -> str:
    return f"/api/v1/models/{model.id}/metrics"


def stored_points() -> int:
    return sum(MetricChunk.objects.values_list("count", flat=True))


def test_it_accepts_ten_thousand_points_in_one_request(cast, api_as, model):
    batch = points("loss/train", 5000) + points("loss/val", 3000) + points("acc", 2000)

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 201
    assert response.json() == {"accepted": 10_000}
    counts = dict(MetricSeries.objects.filter(model=model).values_list("name", "point_count"))
    assert counts == {"loss/train": 5000, "loss/val": 3000, "acc": 2000}
    assert stored_points() == 10_000


def test_the_path_answers_with_a_trailing_slash_too(cast, api_as, model):
    response = api_as(cast.owner).post(url(model) + "/", {"metrics": points("a", 2)}, format="json")

    assert response.status_code == 201


def test_it_rejects_ten_thousand_and_one_points(cast, api_as, model):
    batch = points("loss", 10_001)

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 400
    assert "10000" in error_of(response)["fields"]["metrics"]
    assert stored_points() == 0


GOOD = {"name": "loss", "step": 3, "value": 0.5}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"step": 3, "value": 0.5}, "name"),
        ({**GOOD, "name": ""}, "name"),
        ({**GOOD, "name": "   "}, "name"),
        ({**GOOD, "name": 7}, "name"),
        ({**GOOD, "name": "x" * 251}, "name"),
        ({**GOOD, "name": "loss,val"}, "name"),
        ({**GOOD, "value": "0.5"}, "value"),
        ({**GOOD, "value": None}, "value"),
        ({**GOOD, "value": True}, "value"),
        ({**GOOD, "value": [1]}, "value"),
        ({"name": "loss", "step": 3}, "value"),
        ({**GOOD, "step": -1}, "step"),
        ({**GOOD, "step": 1.5}, "step"),
        ({**GOOD, "step": "3"}, "step"),
        ({**GOOD, "step": False}, "step"),
        ({**GOOD, "timestamp": "yesterday"}, "timestamp"),
        ({**GOOD, "timestamp": True}, "timestamp"),
    ],
)
def test_a_bad_point_gets_a_400_naming_its_row_and_field_and_nothing_is_written(
    cast, api_as, model, bad, field
):
    api_as(cast.developer).post(url(model), {"metrics": points("loss", 2)}, format="json")
    batch = points("loss", 7, start=2) + [bad] + points("acc", 3)

    response = api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert f"metrics[5].{field}" in error["fields"]
    assert error["message"].startswith(f"metrics[5].{field}:")
    assert stored_points() == 2
    assert list(MetricSeries.objects.values_list("name", "point_count")) == [("loss", 2)]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused_by_the_json_parser(cast, api_as, model, literal):
    body = '{"metrics": [{"name": "loss", "step": 0, "value": %s}]}' % literal  # noqa: UP031

    response = api_as(cast.developer).post(url(model), body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    assert stored_points() == 0


@pytest.mark.parametrize("field", ["value", "timestamp"])
def test_a_number_too_large_for_a_float_is_named_as_not_finite(cast, api_as, model, field):
    # 1e999 is valid JSON that Python reads as infinity, so it reaches the point checks.
    point = {"name": "loss", "step": 0, "value": 1.0, "timestamp": 1.0}
    body = json.dumps({"metrics": [{**point, field: "HUGE"}]}).replace('"HUGE"', "1e999")

    response = api_as(cast.developer).post(url(model), body, content_type="application/json")

    assert response.status_code == 400
    assert "finite" in error_of(response)["fields"][f"metrics[0].{field}"]
    assert stored_points() == 0


def test_a_huge_integer_value_is_not_a_finite_float(cast, api_as, model):
    point = {"name": "loss", "step": 0, "value": 10**400}

    response = api_as(cast.developer).post(url(model), {"metrics": [point]}, format="json")

    assert response.status_code == 400
    assert "metrics[0].value" in error_of(response)["fields"]


def test_the_body_must_hold_a_list_of_metrics(cast, api_as, model):
    response = api_as(cast.developer).post(url(model), {"metrics": {"a": 1}}, format="json")

    assert response.status_code == 400
    assert "metrics" in error_of(response)["fields"]


def test_a_row_that_is_not_an_object_is_named(cast, api_as, model):
    response = api_as(cast.developer).post(url(model), {"metrics": [GOOD, 3]}, format="json")

    assert response.status_code == 400
    assert "metrics[1].non_field_errors" in error_of(response)["fields"]


def test_the_timestamp_sent_is_stored(cast, api_as, model):
    point = {**GOOD, "timestamp": 1_700_000_000.25}

    api_as(cast.developer).post(url(model), {"metrics": [point]}, format="json")

    assert MetricSeries.objects.get().last_timestamp == 1_700_000_000.25


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("annotator", 403), ("outsider", 404)]
)
def test_only_developers_and_owners_may_log(cast, api_as, model, role, status):
    response = api_as(cast.user(role)).post(url(model), {"metrics": [GOOD]}, format="json")

    assert response.status_code == status
    error_of(response)
    assert stored_points() == 0


def test_anonymous_callers_get_401(api_client, model):
    response = api_client.post(url(model), {"metrics": [GOOD]}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_public_models_are_read_only(cast, api_as, public_model):
    response = api_as(cast.owner).post(url(public_model), {"metrics": [GOOD]}, format="json")

    assert response.status_code == 403
    assert stored_points() == 0


def test_an_unknown_model_is_404(cast, api_as, db):
    response = api_as(cast.owner).post(
        "/api/v1/models/999999/metrics", {"metrics": [GOOD]}, format="json"
    )

    assert response.status_code == 404


def test_the_sum_of_values_survives_the_round_trip_exactly(cast, api_as, model):
    batch = [{"name": "x", "step": s, "value": math.pi * s} for s in range(100)]

    api_as(cast.developer).post(url(model), {"metrics": batch}, format="json")

    assert MetricSeries.objects.get().max_value == math.pi * 99
