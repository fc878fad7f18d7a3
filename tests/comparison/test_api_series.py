"""GET /api/v1/metrics/series: downsampled series of several models, for comparison charts."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparison.services import metrics_log
from tests.errors import error_of
from tests.factories import ModelVersionFactory

URL = "/api/v1/metrics/series"


def noisy(count: int, seed: int = 1) -> list[float]:
    return np.random.default_rng(seed).normal(size=count).tolist()


def log_values(model, name: str, values: list[float]) -> None:
    for start in range(0, len(values), 10_000):
        batch = [
            {"name": name, "step": step, "value": values[step], "timestamp": 1000.0 + step}
            for step in range(start, min(start + 10_000, len(values)))
        ]
        metrics_log(model=model, points=batch)


def get(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(f"{URL}?{query}")


def test_a_short_series_comes_back_exactly_as_logged(cast, api_as, model):
    log_values(model, "loss/val", [0.5, 0.25, 0.125])

    response = get(api_as(cast.viewer), models=model.id, names="loss/val")

    assert response.status_code == 200
    assert response.json() == {
        "series": [
            {
                "model": model.id,
                "name": "loss/val",
                "total_points": 3,
                "steps": [0, 1, 2],
                "values": [0.5, 0.25, 0.125],
                "timestamps": [1000.0, 1001.0, 1002.0],
            }
        ]
    }


def test_a_long_series_is_downsampled_keeping_first_last_min_and_max(cast, api_as, model):
    values = noisy(50_000)
    values[12_345] = 40.0  # a one-point spike that naive striding would miss
    values[33_333] = -40.0
    log_values(model, "loss", values)

    [series] = get(api_as(cast.viewer), models=model.id, max_points=500).json()["series"]

    assert series["total_points"] == 50_000
    assert len(series["steps"]) <= 500
    assert len(series["steps"]) == len(series["values"]) == len(series["timestamps"])
    assert (series["steps"][0], series["steps"][-1]) == (0, 49_999)
    assert (series["values"][0], series["values"][-1]) == (values[0], values[-1])
    assert {12_345, 33_333} <= set(series["steps"])
    assert (max(series["values"]), min(series["values"])) == (40.0, -40.0)
    assert series["steps"] == sorted(series["steps"])


def test_every_point_returned_is_a_real_point(cast, api_as, model):
    values = noisy(5_000)
    log_values(model, "loss", values)

    [series] = get(api_as(cast.viewer), models=model.id, max_points=100).json()["series"]

    assert all(values[s] == v for s, v in zip(series["steps"], series["values"], strict=True))
    assert all(t == 1000.0 + s for s, t in zip(series["steps"], series["timestamps"], strict=True))


@pytest.mark.parametrize("max_points", [2, 3, 4, 5, 7])
def test_even_a_tiny_max_points_is_honoured(cast, api_as, model, max_points):
    log_values(model, "loss", noisy(1_000))

    [series] = get(api_as(cast.viewer), models=model.id, max_points=max_points).json()["series"]

    assert len(series["steps"]) <= max_points
    assert (series["steps"][0], series["steps"][-1]) == (0, 999)


def test_a_range_reads_only_the_steps_inside_it(cast, api_as, model):
    log_values(model, "loss", noisy(30_000))

    response = get(api_as(cast.viewer), models=model.id, start=10_000.5, end=10_100)
    [series] = response.json()["series"]

    assert series["total_points"] == 100
    assert series["steps"] == list(range(10_001, 10_101))


def test_a_range_past_the_end_gives_an_empty_series(cast, api_as, model):
    log_values(model, "loss", noisy(10))

    [series] = get(api_as(cast.viewer), models=model.id, start=50).json()["series"]

    assert (series["total_points"], series["steps"], series["values"]) == (0, [], [])


def test_series_follow_the_order_of_models_then_names(cast, api_as, model, second_model):
    for target in (model, second_model):
        log_values(target, "b", [1.0])
        log_values(target, "a", [2.0])

    client = api_as(cast.viewer)
    response = get(client, models=f"{second_model.id},{model.id}", names="b,a")

    order = [(s["model"], s["name"]) for s in response.json()["series"]]
    expected = [(second_model.id, "b"), (second_model.id, "a"), (model.id, "b"), (model.id, "a")]
    assert order == expected


def test_without_names_every_series_of_the_models_comes_back(cast, api_as, model):
    log_values(model, "b", [1.0])
    log_values(model, "a/x", [2.0])

    names = [s["name"] for s in get(api_as(cast.viewer), models=model.id).json()["series"]]

    assert names == ["a/x", "b"]


def test_public_models_can_be_compared(cast, api_as, public_model):
    log_values(public_model, "acc", [0.9])

    response = get(api_as(cast.viewer), models=public_model.id)

    assert response.json()["series"][0]["values"] == [0.9]


def test_a_model_of_another_project_is_404_not_a_chart(cast, api_as, model, other_model):
    log_values(other_model, "loss", [1.0])

    response = get(api_as(cast.viewer), models=f"{model.id},{other_model.id}")

    assert response.status_code == 404
    assert error_of(response)["fields"] == {"models": f"No model version {other_model.id}."}


def test_an_unknown_model_id_is_404(cast, api_as, model):
    assert get(api_as(cast.viewer), models="987654").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "models"),
        ({"models": "abc"}, "models"),
        ({"max_points": 1}, "max_points"),
        ({"max_points": 100_001}, "max_points"),
        ({"max_points": "lots"}, "max_points"),
        ({"start": 10, "end": 5}, "end"),
        ({"start": "soon"}, "start"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(cast, api_as, model, params, field):
    params = {"models": model.id, **params} if "models" not in params and params else params

    response = get(api_as(cast.viewer), **params)

    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_anonymous_callers_get_401(api_client, model):
    assert get(api_client, models=model.id).status_code == 401


def test_the_path_answers_with_a_trailing_slash_too(cast, api_as, model):
    assert api_as(cast.viewer).get(f"{URL}/?models={model.id}").status_code == 200


def queries_for(client, models: list) -> int:
    ids = ",".join(str(m.id) for m in models)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, models=ids, names="loss/train,loss/val,acc", max_points=50)
    assert response.status_code == 200
    assert len(response.json()["series"]) == 3 * len(models)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_models_or_series(cast, api_as, package):
    models = [ModelVersionFactory(project=cast.project, package=package) for _ in range(12)]
    for target in models:
        for name in ("loss/train", "loss/val", "acc"):
            log_values(target, name, noisy(300))
    client = api_as(cast.viewer)

    # The first read of each series also keeps its preview: a fixed three more queries.
    cold_few, cold_many = queries_for(client, models[:1]), queries_for(client, models)
    few, many = queries_for(client, models[:1]), queries_for(client, models)

    assert cold_few == cold_many <= 7
    assert few == many <= 5
