"""metrics_log: what it stores, the summaries it keeps, and how it packs points in chunks."""

import math
import time

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from comparison.columns import chunk_columns
from comparison.models import OPEN_CHUNK_LIMIT, MetricChunk, MetricSeries
from comparison.services import metrics_log
from tests.fixtures.versions import points


def stored(series: MetricSeries) -> tuple[list, list]:
    chunks = [chunk_columns(chunk) for chunk in series.chunks.order_by("first_step", "id")]
    steps = np.concatenate([c.steps for c in chunks]).tolist()
    values = np.concatenate([c.values for c in chunks]).tolist()
    return steps, values


def test_it_groups_points_into_one_series_per_name(model):
    batch = points("loss/train", 3) + points("loss/val", 2) + points("acc", 4)

    assert metrics_log(model=model, points=batch) == 9

    counts = dict(MetricSeries.objects.values_list("name", "point_count"))
    assert counts == {"loss/train": 3, "loss/val": 2, "acc": 4}


def test_it_keeps_the_summary_of_each_series(model):
    values = {0: 3.0, 1: -2.0, 2: 7.5, 3: 1.25}
    metrics_log(
        model=model,
        points=[
            {"name": "loss", "step": s, "value": v, "timestamp": 100 + s} for s, v in values.items()
        ],
    )

    series = MetricSeries.objects.get(name="loss")
    summary = (series.point_count, series.first_step, series.last_step, series.last_value)
    assert summary == (4, 0, 3, 1.25)
    assert (series.min_value, series.max_value, series.last_timestamp) == (-2.0, 7.5, 103.0)


def test_the_last_value_is_the_one_at_the_highest_step_even_when_logged_early(model):
    metrics_log(model=model, points=[{"name": "loss", "step": 10, "value": 1.0}])
    metrics_log(model=model, points=[{"name": "loss", "step": 3, "value": 9.0}])

    series = MetricSeries.objects.get(name="loss")
    assert (series.first_step, series.last_step, series.last_value) == (3, 10, 1.0)


def test_a_step_logged_again_keeps_both_points_and_the_newer_is_the_last_value(model):
    metrics_log(model=model, points=[{"name": "loss", "step": 5, "value": 1.0}])
    metrics_log(model=model, points=[{"name": "loss", "step": 5, "value": 2.0}])

    series = MetricSeries.objects.get(name="loss")
    assert (series.point_count, series.last_value) == (2, 2.0)
    assert stored(series) == ([5, 5], [1.0, 2.0])


def test_points_sent_out_of_order_are_stored_sorted_by_step(model):
    metrics_log(model=model, points=[{"name": "a", "step": s, "value": s} for s in (4, 1, 3)])

    assert stored(MetricSeries.objects.get(name="a")) == ([1, 3, 4], [1.0, 3.0, 4.0])


def test_a_missing_timestamp_is_the_time_of_the_call(model):
    before = time.time()
    metrics_log(model=model, points=[{"name": "a", "step": 0, "value": 1}])

    series = MetricSeries.objects.get(name="a")
    assert before <= series.last_timestamp <= time.time()


def test_logging_one_point_per_epoch_fills_one_chunk_instead_of_one_per_point(model):
    for epoch in range(50):
        metrics_log(model=model, points=[{"name": "loss", "step": epoch, "value": 1 / (epoch + 1)}])

    series = MetricSeries.objects.get(name="loss")
    assert series.chunks.count() == 1
    assert stored(series)[0] == list(range(50))


def test_a_full_open_chunk_is_closed_and_a_new_one_started(model):
    metrics_log(model=model, points=points("loss", OPEN_CHUNK_LIMIT))
    metrics_log(model=model, points=points("loss", OPEN_CHUNK_LIMIT + 10, start=OPEN_CHUNK_LIMIT))

    counts = list(MetricChunk.objects.order_by("id").values_list("count", flat=True))
    assert counts == [OPEN_CHUNK_LIMIT, 10]


def test_a_million_points_take_about_a_hundred_chunks(model):
    for start in range(0, 1_000_000, 10_000):
        batch = [{"name": "loss", "step": s, "value": 0.0} for s in range(start, start + 10_000)]
        metrics_log(model=model, points=batch)

    series = MetricSeries.objects.get(name="loss")
    assert series.point_count == 1_000_000
    assert series.chunks.count() == 100


def test_nothing_is_written_when_one_point_is_bad(model):
    metrics_log(model=model, points=points("loss", 5))
    batch = points("loss", 10, start=5) + [{"name": "loss", "step": 11, "value": "high"}]

    with pytest.raises(ValidationError) as error:
        metrics_log(model=model, points=batch)

    assert "metrics[5].value" in error.value.message_dict
    assert MetricSeries.objects.get(name="loss").point_count == 5
    assert MetricChunk.objects.get().count == 5


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("value", math.nan),
        ("value", math.inf),
        ("value", -math.inf),
        ("value", np.float64("nan")),
        ("timestamp", math.nan),
        ("timestamp", math.inf),
    ],
)
def test_nan_and_infinity_are_rejected_naming_the_row(model, field, bad):
    batch = points("loss", 3) + [{"name": "loss", "step": 3, "value": 1.0, field: bad}]

    with pytest.raises(ValidationError) as error:
        metrics_log(model=model, points=batch)

    assert "finite" in error.value.message_dict[f"metrics[3].{field}"][0]
    assert not MetricSeries.objects.exists()


def test_it_reports_at_most_twenty_errors(model):
    batch = [{"name": "", "step": 0, "value": 1}] * 500

    with pytest.raises(ValidationError) as error:
        metrics_log(model=model, points=batch)

    assert len(error.value.message_dict) == 20


def test_numpy_numbers_from_a_training_loop_are_accepted(model):
    batch = [{"name": "acc", "step": np.int64(1), "value": np.float32(0.5)}]

    assert metrics_log(model=model, points=batch) == 1


def test_an_empty_list_stores_nothing(model):
    assert metrics_log(model=model, points=[]) == 0
    assert not MetricSeries.objects.exists()


def test_deleting_the_model_deletes_its_metrics(model):
    metrics_log(model=model, points=points("loss", 3))

    model.delete()

    assert not MetricSeries.objects.exists()
    assert not MetricChunk.objects.exists()
