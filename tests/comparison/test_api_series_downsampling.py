"""GET /api/v1/metrics/series: what every downsampled series keeps, for many series at once."""

import numpy as np
import pytest

from comparison.services import metrics_log
from tests.factories import ModelVersionFactory

URL = "/api/v1/metrics/series"


def log_series(model, name: str, values: np.ndarray) -> None:
    for start in range(0, len(values), 10_000):
        metrics_log(
            model=model,
            points=[
                {"name": name, "step": step, "value": float(values[step]), "timestamp": 5.0 + step}
                for step in range(start, min(start + 10_000, len(values)))
            ],
        )


def fetch(client, models: list, max_points: int) -> list[dict]:
    ids = ",".join(str(model.id) for model in models)
    response = client.get(f"{URL}?models={ids}&max_points={max_points}")
    assert response.status_code == 200
    return response.json()["series"]


SHAPES = {
    "noise": lambda rng, n: rng.normal(size=n),
    "falling/loss": lambda rng, n: np.exp(-np.arange(n) / (n / 5)) + rng.normal(0, 0.01, n),
    "steps/lr": lambda rng, n: 0.1 * 0.5 ** (np.arange(n) // max(n // 4, 1)),
    "flat": lambda rng, n: np.full(n, 0.25),
}


@pytest.fixture
def logged(cast, package, model) -> dict:
    """Two models, four shapes each, of different lengths: (model id, name) -> values."""
    second = ModelVersionFactory(project=cast.project, package=package, name="second")
    rng = np.random.default_rng(11)
    raw = {}
    for target, length in ((model, 12_345), (second, 3_001)):
        for name, shape in SHAPES.items():
            raw[(target.id, name)] = shape(rng, length)
            log_series(target, name, raw[(target.id, name)])
    return {"models": [model, second], "raw": raw}


# Four is the least that can hold first, last, minimum and maximum.
@pytest.mark.parametrize("max_points", [4, 10, 257, 1_000])
def test_every_series_keeps_its_first_last_minimum_and_maximum(cast, api_as, logged, max_points):
    series = fetch(api_as(cast.viewer), logged["models"], max_points)

    assert len(series) == len(logged["raw"])
    for row in series:
        values = logged["raw"][(row["model"], row["name"])]
        assert row["total_points"] == len(values)
        assert len(row["steps"]) <= max_points
        assert (row["steps"][0], row["steps"][-1]) == (0, len(values) - 1)
        assert (row["values"][0], row["values"][-1]) == (values[0], values[-1])
        assert (min(row["values"]), max(row["values"])) == (values.min(), values.max())


def test_every_point_kept_is_a_real_point_in_step_order(cast, api_as, logged):
    for row in fetch(api_as(cast.viewer), logged["models"], 200):
        values = logged["raw"][(row["model"], row["name"])]
        assert row["steps"] == sorted(set(row["steps"]))
        assert row["values"] == [values[step] for step in row["steps"]]
        assert row["timestamps"] == [5.0 + step for step in row["steps"]]


@pytest.mark.parametrize("length", [1, 2, 999, 1_000])
def test_a_series_no_longer_than_max_points_comes_back_exactly(cast, api_as, model, length):
    values = np.random.default_rng(length).normal(size=length)
    log_series(model, "loss", values)

    [row] = fetch(api_as(cast.viewer), [model], 1_000)

    assert row["total_points"] == length
    assert row["steps"] == list(range(length))
    assert row["values"] == values.tolist()
    assert row["timestamps"] == [5.0 + step for step in range(length)]


def test_one_point_more_than_max_points_is_downsampled(cast, api_as, model):
    log_series(model, "loss", np.random.default_rng(5).normal(size=1_001))

    [row] = fetch(api_as(cast.viewer), [model], 1_000)

    assert row["total_points"] == 1_001
    assert len(row["steps"]) <= 1_000
