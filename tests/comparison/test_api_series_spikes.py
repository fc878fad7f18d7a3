"""GET /api/v1/metrics/series keeps a one-step spike that even sampling would drop."""

import numpy as np
import pytest

from comparison.services import metrics_log

URL = "/api/v1/metrics/series"
STEPS = 10_000


def log_series(model, name: str, values: np.ndarray) -> None:
    points = [{"name": name, "step": step, "value": float(v)} for step, v in enumerate(values)]
    metrics_log(model=model, points=points)


def chart_of(client, model, max_points: int = 1_000) -> dict:
    response = client.get(f"{URL}?models={model.id}&names=loss&max_points={max_points}")
    assert response.status_code == 200
    [series] = response.json()["series"]
    return dict(zip(series["steps"], series["values"], strict=True))


def evenly_sampled_steps(count: int, samples: int) -> set[int]:
    """The steps a sampler that picks evenly spaced points keeps (MLflow's way)."""
    return set(np.linspace(0, count - 1, samples).round().astype(int).tolist())


@pytest.mark.parametrize("seed", range(6))
def test_a_huge_spike_at_a_random_step_is_in_the_chart(cast, api_as, model, seed):
    rng = np.random.default_rng(seed)
    values = np.exp(-np.arange(STEPS) / 3_000) + rng.normal(0, 0.02, STEPS)
    at = int(rng.integers(1, STEPS - 1))
    values[at] = 1e6
    log_series(model, "loss", values)

    chart = chart_of(api_as(cast.viewer), model)

    assert chart.get(at) == 1e6


@pytest.mark.parametrize(("seed", "sign"), [(1, 1), (2, -1), (3, 1), (4, -1)])
def test_a_local_spike_that_is_not_the_global_extreme_is_kept(cast, api_as, model, seed, sign):
    # A rising curve with its extremes at the ends; the spike stays between them.
    rng = np.random.default_rng(seed)
    values = np.linspace(0, 100, STEPS) + rng.normal(0, 0.5, STEPS)
    at = int(rng.integers(STEPS // 5, STEPS * 4 // 5))
    while at in evenly_sampled_steps(STEPS, 320):  # one that even sampling misses
        at += 1
    values[at] += sign * 20
    log_series(model, "loss", values)

    chart = chart_of(api_as(cast.viewer), model)

    assert at not in evenly_sampled_steps(STEPS, 320)
    assert chart.get(at) == values[at]
    assert values[at] not in (values.max(), values.min())
