"""metrics_log on full batches: grouping by name, order, mixed number types, and the rows."""

import time

import numpy as np
import pytest
from django.db import connection

from comparison.columns import chunk_columns
from comparison.models import MetricChunk, MetricSeries
from comparison.services import metrics_log


def stored(name: str) -> tuple[list, list]:
    series = MetricSeries.objects.get(name=name)
    chunks = [chunk_columns(chunk) for chunk in series.chunks.order_by("first_step", "id")]
    return (
        np.concatenate([c.steps for c in chunks]).tolist(),
        np.concatenate([c.values for c in chunks]).tolist(),
    )


def test_interleaved_names_are_grouped_and_each_series_is_sorted_by_step(model):
    rng = np.random.default_rng(4)
    names = ["a", "b", "c", "d"]
    steps = rng.permutation(2_500)
    batch = [
        {"name": name, "step": int(step), "value": float(step) + index}
        for step in steps
        for index, name in enumerate(names)
    ]

    assert metrics_log(model=model, points=batch) == 10_000

    for index, name in enumerate(names):
        assert stored(name) == (list(range(2_500)), [float(step + index) for step in range(2_500)])


def test_a_step_logged_twice_in_one_batch_keeps_the_order_it_was_logged_in(model):
    batch = [
        {"name": "loss", "step": 2, "value": 1.0},
        {"name": "acc", "step": 0, "value": 0.5},
        {"name": "loss", "step": 1, "value": 9.0},
        {"name": "loss", "step": 2, "value": 2.0},
        {"name": "acc", "step": 0, "value": 0.6},
    ]

    metrics_log(model=model, points=batch)

    assert stored("loss") == ([1, 2, 2], [9.0, 1.0, 2.0])
    assert stored("acc") == ([0, 0], [0.5, 0.6])
    assert MetricSeries.objects.get(name="loss").last_value == 2.0


def test_ints_floats_and_missing_timestamps_mix_in_one_batch(model):
    before = time.time()
    batch = [
        {"name": "loss", "step": 0, "value": 1, "timestamp": 100},
        {"name": "loss", "step": 1, "value": 0.5},
        {"name": "loss", "step": 2, "value": 0.25, "timestamp": None},
        {"name": "loss", "step": 3, "value": 0, "timestamp": 103.5},
    ]

    metrics_log(model=model, points=batch)

    [chunk] = MetricChunk.objects.all()
    columns = chunk_columns(chunk)
    assert columns.values.tolist() == [1.0, 0.5, 0.25, 0.0]
    assert (columns.timestamps[0], columns.timestamps[3]) == (100.0, 103.5)
    assert all(before <= t <= time.time() for t in columns.timestamps[1:3])


def test_numpy_numbers_in_a_full_batch_are_accepted(model):
    batch = [
        {"name": "loss", "step": np.int64(step), "value": np.float32(step / 4)}
        if step % 2
        else {"name": "loss", "step": step, "value": step / 4}
        for step in range(10_000)
    ]

    assert metrics_log(model=model, points=batch) == 10_000

    assert stored("loss") == (list(range(10_000)), [step / 4 for step in range(10_000)])


def test_new_and_merged_chunks_get_their_ids_and_the_series_find_their_open_chunk(model):
    metrics_log(model=model, points=[{"name": n, "step": 0, "value": 1.0} for n in "abc"])
    metrics_log(model=model, points=[{"name": n, "step": 1, "value": 2.0} for n in "abcd"])

    for series in MetricSeries.objects.all():
        chunk = MetricChunk.objects.get(series=series)
        assert series.open_chunk_id == chunk.id
        assert chunk_columns(chunk).steps.tolist() == ([1] if series.name == "d" else [0, 1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_on_postgresql_the_packed_arrays_are_compressed_with_lz4(model):
    metrics_log(model=model, points=[{"name": "a", "step": s, "value": 0.5} for s in range(5_000)])

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(steps) FROM comparison_metricchunk")
        assert cursor.fetchone() == ("lz4",)


def test_each_write_moves_the_series_updated_at(model):
    metrics_log(model=model, points=[{"name": "loss", "step": 0, "value": 1.0}])
    first = MetricSeries.objects.get().updated_at
    time.sleep(0.01)

    metrics_log(model=model, points=[{"name": "loss", "step": 1, "value": 0.5}])

    series = MetricSeries.objects.get()
    assert series.updated_at > first
    assert (series.point_count, series.last_value) == (2, 0.5)
