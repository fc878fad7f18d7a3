"""GET /api/v1/models/{id}/metrics: the model's series with their summaries, no points."""

import pytest

from comparison.services import metrics_log
from tests.errors import error_of
from tests.fixtures.versions import points


def url(model) -> str:
    return f"/api/v1/models/{model.id}/metrics"


def test_it_lists_the_series_with_their_summaries(cast, api_as, model):
    metrics_log(model=model, points=points("loss/train", 4, value=lambda s: 10.0 - s))
    metrics_log(model=model, points=points("acc", 2))

    response = api_as(cast.viewer).get(url(model))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    acc, loss = body["results"]
    assert (acc["name"], acc["point_count"]) == ("acc", 2)
    assert (loss["figure"], loss["legend"], loss["model"]) == ("loss", "train", model.id)
    summary = [loss[key] for key in ("first_step", "last_step", "last_value", "min_value")]
    assert summary == [0, 3, 7.0, 7.0]
    assert loss["max_value"] == 10.0


def test_it_filters_by_name(cast, api_as, model):
    metrics_log(model=model, points=points("loss/train", 1) + points("acc", 1))

    response = api_as(cast.viewer).get(url(model) + "/?name=acc")

    assert [row["name"] for row in response.json()["results"]] == ["acc"]


def test_a_model_without_metrics_has_an_empty_list(cast, api_as, model):
    assert api_as(cast.viewer).get(url(model)).json()["results"] == []


def test_public_models_list_their_series(cast, api_as, public_model):
    metrics_log(model=public_model, points=points("acc", 1))

    assert api_as(cast.viewer).get(url(public_model)).json()["count"] == 1


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_every_member_may_read(cast, api_as, model, role):
    assert api_as(cast.user(role)).get(url(model)).status_code == 200


def test_an_outsider_gets_404(cast, api_as, model):
    response = api_as(cast.outsider).get(url(model))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_callers_get_401(api_client, model):
    assert api_client.get(url(model)).status_code == 401


def test_other_methods_are_405(cast, api_as, model):
    assert api_as(cast.owner).delete(url(model)).status_code == 405
