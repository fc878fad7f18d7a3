"""CSV downloads of the data behind the page: series as drawn or in full, summary, configuration."""

import csv
import io

import pytest

from tests.comparison.compare.conftest import log, models_param
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def export(client, cast, name: str, query: str):
    client.force_login(cast.viewer)
    response = client.get(f"/projects/{cast.project.id}/compare/export/{name}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_series_csv_holds_the_charts_points_of_the_chosen_versions(client, cast, trio):
    query = f"models={models_param(trio.c, trio.a)}&metrics=loss/train"

    rows = export(client, cast, "series.csv", query)

    assert rows[0] == [
        "version_id",
        "version",
        "metric",
        "step",
        "timestamp",
        "value",
        "total_points",
    ]
    # One series at a time as stored, so memory stays one series whatever the selection.
    assert sorted((row[1], row[3], row[5]) for row in rows[1:]) == [
        ("alpha", "0", "2.0"),
        ("alpha", "1", "1.0"),
        ("alpha", "2", "0.5"),
        ("gamma", "0", "1.0"),
        ("gamma", "1", "0.6"),
        ("gamma", "2", "0.4"),
    ]


def test_the_series_csv_is_downsampled_like_the_chart_unless_full_is_asked(client, cast, model):
    log(model, "loss", [float(step % 7) for step in range(500)])
    query = f"models={model.id}&metrics=loss&points=50"

    drawn = export(client, cast, "series.csv", query)
    full = export(client, cast, "series.csv", query + "&full=1")

    assert len(drawn) - 1 <= 50
    assert drawn[1][6] == "500"
    assert [int(row[3]) for row in full[1:]] == list(range(500))


def test_one_charts_data_with_metric(client, cast, trio):
    rows = export(client, cast, "series.csv", f"models={trio.ids}&metric=accuracy")

    assert {row[2] for row in rows[1:]} == {"accuracy"}
    assert {row[1] for row in rows[1:]} == {"alpha", "gamma"}


def test_the_summary_csv_has_one_row_per_version_metric_and_statistic(client, cast, trio):
    query = f"models={models_param(trio.a, trio.b)}&metrics=loss/train&at=1"

    rows = export(client, cast, "summary.csv", query)

    assert rows[0] == [
        "version_id",
        "version",
        "metric",
        "better",
        "statistic",
        "value",
        "step",
        "best",
    ]
    assert rows[1:5] == [
        [str(trio.a.id), "alpha", "loss/train", "lower", "Last", "0.5", "", "0"],
        [str(trio.a.id), "alpha", "loss/train", "lower", "Min", "0.5", "", "0"],
        [str(trio.a.id), "alpha", "loss/train", "lower", "Max", "2.0", "", "1"],
        [str(trio.a.id), "alpha", "loss/train", "lower", "at step 1", "1.0", "1", "0"],
    ]
    assert len(rows) == 1 + 2 * 4


def test_the_configuration_csv_follows_differences_only(client, cast, trio):
    rows = export(client, cast, "config.csv", f"models={trio.ids}")
    every = export(client, cast, "config.csv", f"models={trio.ids}&diff=0")

    assert rows == [
        ["parameter", f"alpha (#{trio.a.id})", f"beta (#{trio.b.id})", f"gamma (#{trio.c.id})"],
        ["lr", "0.1", "0.01", "0.001"],
        ["optimizer.name", "sgd", "sgd", "adam"],
    ]
    assert len(every) == 5


def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(client, cast, public_package):
    version = ModelVersionFactory(
        project=cast.project, package=public_package, name="=HYPERLINK(1)"
    )
    log(version, "+cmd", [1.0])

    rows = export(client, cast, "series.csv", f"models={version.id}&metrics=%2Bcmd")

    assert rows[1][1:3] == ["'=HYPERLINK(1)", "'+cmd"]


def test_a_negative_number_in_a_configuration_stays_a_number(client, cast, public_package):
    versions = [
        ModelVersionFactory(project=cast.project, package=public_package, configuration=config)
        for config in ({"shift": -1, "act": "-relu"}, {"shift": 2, "act": "relu"})
    ]

    rows = export(client, cast, "config.csv", f"models={models_param(*versions)}")

    assert rows[1:] == [["act", "'-relu", "relu"], ["shift", "-1", "2"]]


@pytest.mark.parametrize("name", ["series.csv", "summary.csv", "config.csv"])
def test_an_outsider_or_a_foreign_version_gets_a_404(client, cast, trio, other_model, name):
    client.force_login(cast.outsider)
    url = f"/projects/{cast.project.id}/compare/export/{name}?models={trio.ids}"
    assert client.get(url).status_code == 404

    client.force_login(cast.owner)
    url = f"/projects/{cast.project.id}/compare/export/{name}?models={other_model.id}"
    assert client.get(url).status_code == 404
