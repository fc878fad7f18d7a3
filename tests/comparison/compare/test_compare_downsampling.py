"""The page says which series are drawn downsampled, and from how many points; the
charts' own requests get at most `points` per series, and the full detail when zoomed."""

import math

import pytest

from tests.comparison.compare.conftest import compare_url, log, models_param

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_and_short(model, second_model):
    log(model, "loss", [math.sin(step / 50) for step in range(5_000)])
    log(second_model, "loss", [1.0, 0.5])
    return model, second_model


def page(client, cast, models, query: str):
    client.force_login(cast.viewer)
    return client.get(compare_url(cast.project, f"models={models_param(*models)}&{query}"))


def test_the_page_names_the_downsampled_series_and_their_length(client, cast, long_and_short):
    response = page(client, cast, long_and_short, "metrics=loss&points=100")

    assert response.context["notes"] == [
        {"metric": "loss", "reduced": 1, "series": 2, "most": "5,000"}
    ]
    html = response.content.decode()
    assert 'id="compare-downsampling"' in html
    assert "1 of 2 series drawn downsampled to at most 100 points (from up to 5,000 points)" in html


def test_series_within_the_budget_get_no_notice(client, cast, long_and_short):
    response = page(client, cast, long_and_short, "metrics=loss&points=5000")

    assert response.context["notes"] == []
    assert b'id="compare-downsampling"' not in response.content


def test_the_charts_request_keeps_spikes_and_ends_within_the_budget(client, cast, long_and_short):
    model, second = long_and_short
    log(model, "loss", [50.0], start=3_333)  # a spike logged later, at one step
    client.force_login(cast.viewer)
    query = f"models={models_param(model, second)}&names=loss&max_points=100"

    series = client.get(f"/api/v1/metrics/series?{query}").json()["series"]

    long = series[0]
    assert long["total_points"] == 5_001
    assert len(long["steps"]) <= 100
    assert (long["steps"][0], long["steps"][-1]) == (0, 4_999)
    assert max(long["values"]) == 50.0
    assert series[1]["steps"] == [0, 1]


def test_a_zoomed_request_has_the_visible_steps_in_full(client, cast, long_and_short):
    model, _ = long_and_short
    client.force_login(cast.viewer)
    query = f"models={model.id}&names=loss&max_points=100&start=1000&end=1079.5"

    [series] = client.get(f"/api/v1/metrics/series?{query}").json()["series"]

    assert series["steps"] == list(range(1000, 1080))
