"""The summary table: last, min, max and the value at a step, the best of each column marked."""

import pytest

from comparison.columns import Columns, chunk_fill
from comparison.compare.at_step import values_at_step
from comparison.models import MetricChunk, MetricSeries
from tests.comparison.compare.conftest import compare_url, log

pytestmark = pytest.mark.django_db


def table_of(client, cast, query: str) -> dict:
    client.force_login(cast.viewer)
    response = client.get(compare_url(cast.project, query))
    assert response.status_code == 200
    return response.context["summary"]


def column(summary: dict, metric: str, stat: str) -> list:
    """(value, best) per version of one column."""
    names = [m["name"] for m in summary["metrics"]]
    width = len(summary["stats"])
    index = names.index(metric) * width + summary["stats"].index(stat)
    return [(row["cells"][index].value, row["cells"][index].best) for row in summary["rows"]]


def test_it_shows_last_min_max_per_version_with_the_lowest_loss_marked(client, cast, trio):
    summary = table_of(client, cast, f"models={trio.ids}&metrics=loss/train")

    assert column(summary, "loss/train", "last") == [(0.5, False), (0.3, True), (0.4, False)]
    assert column(summary, "loss/train", "min") == [(0.5, False), (0.2, True), (0.4, False)]
    assert column(summary, "loss/train", "max") == [(2.0, False), (3.0, False), (1.0, True)]


def test_higher_is_better_for_an_accuracy_and_a_missing_series_is_empty(client, cast, trio):
    summary = table_of(client, cast, f"models={trio.ids}&metrics=accuracy")

    assert summary["metrics"][0]["better"] == "max"
    assert column(summary, "accuracy", "last") == [(0.8, False), (None, False), (0.85, True)]


def test_the_user_says_which_way_is_better(client, cast, trio):
    query = f"models={trio.ids}&metrics=loss/train,accuracy&better=loss/train:max,accuracy:min"

    summary = table_of(client, cast, query)

    assert column(summary, "loss/train", "last") == [(0.5, True), (0.3, False), (0.4, False)]
    assert column(summary, "accuracy", "last") == [(0.8, True), (None, False), (0.85, False)]


def test_the_value_at_a_chosen_step_gets_its_own_column(client, cast, trio):
    summary = table_of(client, cast, f"models={trio.ids}&metrics=loss/train&at=1")

    assert summary["stats"] == ["last", "min", "max", "at"]
    assert column(summary, "loss/train", "at") == [(1.0, False), (0.2, True), (0.6, False)]


def test_the_best_cell_is_highlighted_in_the_page(client, cast, trio):
    client.force_login(cast.viewer)
    query = f"models={trio.ids}&metrics=loss/train&at=1"

    html = client.get(compare_url(cast.project, query)).content.decode()

    assert html.count('class="num best"') == 4  # last, min, at: beta; max: gamma
    assert 'class="num best" title="0.2 (logged at step 1)">0.2<' in html
    assert 'title="1.0">1<span class="visually-hidden"> (best)</span>' in html
    assert '<option value="loss/train:min" selected>lower is better</option>' in html


def test_one_version_alone_has_nothing_to_be_best_against(client, cast, trio):
    summary = table_of(client, cast, f"models={trio.a.id}&metrics=loss/train")

    assert column(summary, "loss/train", "last") == [(0.5, False)]


# --- The value at a step, read from the chunks that hold it -------------------


def chunk(series: MetricSeries, steps: list[int], values: list[float]) -> MetricChunk:
    columns = Columns.from_lists(steps, values, [0.0] * len(steps))
    row = chunk_fill(MetricChunk(series=series), columns)
    row.save()
    return row


@pytest.fixture
def series(model):
    return MetricSeries.objects.create(model=model, name="loss")


def test_between_logged_steps_it_takes_the_last_point_before(model):
    log(model, "loss", [5.0, 4.0, 3.0], step=10)  # steps 0, 10, 20
    row = MetricSeries.objects.get(model=model)

    assert values_at_step(series_ids=[row.id], step=15) == {row.id: (10, 4.0)}
    assert values_at_step(series_ids=[row.id], step=20) == {row.id: (20, 3.0)}
    assert values_at_step(series_ids=[row.id], step=999) == {row.id: (20, 3.0)}


def test_before_the_first_point_there_is_no_value(model):
    log(model, "loss", [5.0], start=100)
    row = MetricSeries.objects.get(model=model)

    assert values_at_step(series_ids=[row.id], step=99) == {}


def test_a_chunk_logged_out_of_order_inside_another_is_read_too(series):
    chunk(series, [0, 50, 100], [1.0, 2.0, 3.0])
    chunk(series, [60, 70], [6.0, 7.0])

    assert values_at_step(series_ids=[series.id], step=80) == {series.id: (70, 7.0)}
    assert values_at_step(series_ids=[series.id], step=55) == {series.id: (50, 2.0)}


def test_an_older_chunk_reaching_further_than_the_latest_start_wins(series):
    chunk(series, [0, 65], [1.0, 6.5])
    chunk(series, [50, 60], [5.0, 6.0])

    assert values_at_step(series_ids=[series.id], step=70) == {series.id: (65, 6.5)}


def test_of_two_points_at_the_same_step_the_last_logged_wins(series):
    chunk(series, [0, 10], [1.0, 2.0])
    chunk(series, [10, 20], [3.0, 4.0])
    chunk(series, [5, 5], [8.0, 9.0])

    assert values_at_step(series_ids=[series.id], step=10) == {series.id: (10, 3.0)}
    assert values_at_step(series_ids=[series.id], step=7) == {series.id: (5, 9.0)}
