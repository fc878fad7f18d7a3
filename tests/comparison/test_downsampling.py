"""kept_indices: which points a downsampled series keeps."""

import numpy as np
import pytest

from comparison.columns import Columns
from comparison.selectors import kept_indices


def columns(steps, values) -> Columns:
    steps = np.asarray(steps, dtype="<i8")
    return Columns(steps, np.asarray(values, dtype="<f8"), np.zeros(len(steps)))


@pytest.mark.parametrize("size", [10, 999, 1_001, 54_321])
@pytest.mark.parametrize("max_points", [2, 4, 5, 100, 1_000])
def test_it_never_keeps_more_than_asked_and_always_the_ends(size, max_points):
    values = np.random.default_rng(size).normal(size=size)

    kept = kept_indices(columns(range(size), values), max_points)

    assert len(kept) <= max_points
    assert kept[0] == 0
    assert kept[-1] == size - 1
    assert np.all(np.diff(kept) > 0)


@pytest.mark.parametrize("max_points", [4, 5, 100])
def test_it_keeps_the_global_minimum_and_maximum(max_points):
    values = np.sin(np.arange(20_000) / 50.0)
    values[7_777], values[15_001] = 3.0, -3.0

    kept = set(kept_indices(columns(range(20_000), values), max_points).tolist())

    assert {7_777, 15_001} <= kept


def test_points_all_at_one_step_still_keep_their_extremes():
    values = np.random.default_rng(3).normal(size=5_000)

    kept = kept_indices(columns([0] * 5_000, values), 100)

    assert {0, 4_999, int(values.argmin()), int(values.argmax())} <= set(kept.tolist())
