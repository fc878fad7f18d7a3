"""Previews: a whole series downsampled once per size, read as it is until it grows."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparison.models import MetricChunk, MetricPreview, MetricSeries
from comparison.selectors import series_points, series_points_many
from comparison.services import metrics_log

pytestmark = pytest.mark.django_db


def log(model, name: str, values, first_step: int = 0) -> None:
    points = [
        {"name": name, "step": first_step + i, "value": float(v), "timestamp": 1000.0 + i}
        for i, v in enumerate(values)
    ]
    for lo in range(0, len(points), 10_000):
        metrics_log(model=model, points=points[lo : lo + 10_000])


@pytest.fixture
def series(model):
    log(model, "loss", np.random.default_rng(3).normal(size=5_000))
    return MetricSeries.objects.get(model=model, name="loss")


def chunk_reads(captured) -> int:
    table = MetricChunk._meta.db_table
    return sum(table in query["sql"] for query in captured.captured_queries)


def test_the_first_read_keeps_a_preview_that_the_next_read_answers_from(series):
    first = series_points(series, max_points=250)
    with CaptureQueriesContext(connection) as captured:
        second = series_points(series, max_points=250)

    assert second == first
    assert chunk_reads(captured) == 0
    preview = MetricPreview.objects.get(series=series, max_points=250)
    assert preview.point_count == first["total_points"] == 5_000


def test_a_series_that_grew_is_downsampled_again(model, series):
    series_points(series, max_points=250)
    log(model, "loss", [1e6], first_step=5_000)  # a spike at the new last step
    series.refresh_from_db()

    found = series_points(series, max_points=250)

    assert found["total_points"] == 5_001
    assert found["steps"][-1] == 5_000
    assert found["values"][-1] == 1e6
    assert MetricPreview.objects.get(series=series, max_points=250).point_count == 5_001


def test_each_usual_size_has_its_own_preview(series):
    small = series_points(series, max_points=250)
    large = series_points(series, max_points=1_000)

    assert len(small["steps"]) <= 250 < len(large["steps"]) <= 1_000
    assert MetricPreview.objects.filter(series=series).count() == 2


def test_an_odd_size_is_downsampled_each_time_and_kept_nowhere(series):
    first = series_points(series, max_points=777)

    assert series_points(series, max_points=777) == first
    assert len(first["steps"]) <= 777
    assert not MetricPreview.objects.filter(series=series).exists()


def test_a_zoomed_read_neither_uses_nor_keeps_a_preview(series):
    series_points(series, max_points=250)
    with CaptureQueriesContext(connection) as captured:
        zoomed = series_points(series, max_points=250, start=100, end=300)

    assert chunk_reads(captured) == 1
    assert zoomed["steps"][0] == 100
    assert zoomed["steps"][-1] == 300
    assert MetricPreview.objects.filter(series=series).count() == 1


def test_a_preview_answers_exactly_what_downsampling_the_chunks_does(model, series):
    log(model, "acc", np.linspace(0, 1, 3_000))
    rows = list(MetricSeries.objects.filter(model=model))
    cold = dict(series_points_many(series=rows, max_points=500))
    warm = dict(series_points_many(series=rows, max_points=500))

    assert warm == cold
    assert MetricPreview.objects.filter(series__in=rows).count() == 2
