"""Each chart's data as CSV: the same numbers, as an attachment."""

import csv
import io

import pytest

from tests.comparison.compare_evaluations.conftest import (
    csv_url,
    models_query,
    version,
)

pytestmark = pytest.mark.django_db


def csv_rows(client, cast, chart: str, query: str) -> tuple[object, list[list[str]]]:
    client.force_login(cast.viewer)
    response = client.get(csv_url(cast.project, chart, query))
    assert response.status_code == 200
    return response, list(csv.reader(io.StringIO(response.content.decode())))


def test_the_bars_csv_has_the_chosen_metrics_of_every_version(client, cast, lineage):
    fresh = version(cast.project, lineage.versions[0].package, "fresh")
    query = models_query([*lineage.versions, fresh], eval="mAP,AP50")

    response, rows = csv_rows(client, cast, "bars", query)

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="acme-evaluations-bars.csv"'
    assert rows[0] == ["model_id", "model", "evaluation_id", "dataset", "subset", "mAP", "AP50"]
    v1 = lineage.versions[0]
    assert rows[1] == [str(v1.id), "v1", str(lineage.evaluations[0].id), "parts", "test"] + [
        "0.31",
        "0.52",
    ]
    assert rows[4] == [str(fresh.id), "fresh", "", "", "", "", ""]


def test_the_heatmap_csv_has_every_per_label_key(client, cast, lineage):
    response, rows = csv_rows(client, cast, "heatmap", models_query(lineage.versions))

    assert "heatmap.csv" in response["Content-Disposition"]
    assert rows[0] == ["model_id", "model", "label", "AP", "AP50", "recall", "support"]
    v1 = lineage.versions[0]
    assert rows[1] == [str(v1.id), "v1", "cat", "0.35", "0.6", "0.5", "4"]
    assert rows[2] == [str(v1.id), "v1", "dog", "0.27", "", "", ""]
    assert len(rows) == 1 + 3 * 2


def test_the_by_version_csv_follows_the_lineage(client, cast, lineage):
    v1, v2, v3 = lineage.versions

    _, rows = csv_rows(client, cast, "by_version", models_query([v3, v2, v1], eval="mAP"))

    assert rows[0] == ["position", "order", "model_id", "model", "parent_id", "created_at", "mAP"]
    assert [row[3] for row in rows[1:]] == ["v1", "v2", "v3"]
    assert rows[2][:5] == ["2", "lineage", str(v2.id), "v2", str(v1.id)]
    assert [row[6] for row in rows[1:]] == ["0.31", "0.42", "0.57"]


def test_the_parallel_csv_writes_categories_as_text(client, cast, lineage):
    _, rows = csv_rows(client, cast, "parallel", models_query(lineage.versions, pc="AP75"))

    assert rows[0] == ["model_id", "model", "epochs", "learning_rate", "optimizer.name", "AP75"]
    assert [row[2:] for row in rows[1:]] == [
        ["10", "0.01", "sgd", "0.28"],
        ["20", "0.005", "adam", "0.39"],
        ["20", "0.001", "adam", "0.51"],
    ]


def test_a_name_that_looks_like_a_formula_is_written_as_text(client, cast, lineage):
    v1 = lineage.versions[0]
    v1.name = "=HYPERLINK(1)"
    v1.save()

    _, rows = csv_rows(client, cast, "bars", models_query([v1], eval="mAP"))

    assert rows[1][1] == "'=HYPERLINK(1)"


def test_an_unknown_chart_is_a_404(client, cast, lineage):
    client.force_login(cast.viewer)

    response = client.get(csv_url(cast.project, "pie", models_query(lineage.versions)))

    assert response.status_code == 404
