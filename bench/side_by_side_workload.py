"""The seeded workload bench/mlflow_side_by_side.py sends to both servers, in their forms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

METRICS = ("loss/train", "loss/val", "accuracy/train", "accuracy/val", "lr")


SPIKE = 1e6


# When the first point is logged, in milliseconds (MLflow's unit); one point every 10 ms.
T0_MS = 1_700_000_000_000


@dataclass(frozen=True)
class Sizes:
    ingest_steps: int
    versions: int
    compare_steps: int


FULL = Sizes(ingest_steps=20_000, versions=20, compare_steps=10_000)


QUICK = Sizes(ingest_steps=2_000, versions=3, compare_steps=2_000)


@dataclass(frozen=True)
class Series:
    """One metric of one version: steps 0..n-1 at T0_MS + 10 ms a step."""

    name: str
    values: np.ndarray

    @property
    def steps(self) -> np.ndarray:
        return np.arange(len(self.values))


@dataclass(frozen=True)
class Spike:
    version: int
    name: str
    step: int


def training_curves(rng: np.random.Generator, steps: int) -> list[Series]:
    """Five noisy curves shaped like a training run's."""
    x = np.arange(steps) / max(steps, 1)
    noise = rng.normal(scale=0.02, size=(len(METRICS), steps))
    shapes = [np.exp(-4 * x) + 0.1, np.exp(-3 * x) + 0.2, 1 - np.exp(-4 * x), 0.9 - np.exp(-3 * x)]
    shapes.append(np.full(steps, 1e-3))
    return [
        Series(name, shape + noise[index])
        for index, (name, shape) in enumerate(zip(METRICS, shapes, strict=True))
    ]


def comparison_workload(seed: int, sizes: Sizes) -> tuple[list[list[Series]], Spike]:
    rng = np.random.default_rng(seed)
    versions = [training_curves(rng, sizes.compare_steps) for _ in range(sizes.versions)]
    spike = Spike(
        version=int(rng.integers(sizes.versions)),
        name=METRICS[int(rng.integers(len(METRICS)))],
        step=int(rng.integers(1, sizes.compare_steps - 1)),
    )
    [planted] = [s for s in versions[spike.version] if s.name == spike.name]
    planted.values[spike.step] = SPIKE
    return versions, spike


def in_step_order(series: list[Series]) -> Iterator[tuple[Series, int]]:
    """(series, step) as a training loop logs them: every metric at each step."""
    for step in range(len(series[0].values)):
        for one in series:
            yield one, step


def our_points(series: list[Series]) -> list[dict]:
    return [
        {
            "name": one.name,
            "step": step,
            "value": float(one.values[step]),
            "timestamp": (T0_MS + 10 * step) / 1000,
        }
        for one, step in in_step_order(series)
    ]


def mlflow_points(series: list[Series]) -> list[dict]:
    return [
        {"key": one.name, "value": float(one.values[step]), "timestamp": T0_MS + 10 * step,
         "step": step}
        for one, step in in_step_order(series)
    ]  # fmt: skip


def batches(points: list[dict], size: int) -> list[list[dict]]:
    return [points[start : start + size] for start in range(0, len(points), size)]
