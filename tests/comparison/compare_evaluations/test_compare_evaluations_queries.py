"""The section's query count is fixed: it grows neither with versions nor with metrics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.comparison.compare_evaluations.conftest import (
    csv_url,
    evaluate,
    log_last_value,
    models_query,
    section_url,
    version,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def many(cast, public_package, box_dataset):
    """30 versions in one lineage chain, each evaluated twice and logging a series."""
    versions, parent = [], None
    for index in range(30):
        model = version(
            cast.project,
            public_package,
            f"m{index}",
            parent=parent,
            configuration={"lr": index / 100, "opt": "sgd" if index % 2 else "adam"},
        )
        for run in range(2):
            per_label = {"cat": {"AP": run / 3}, "dog": {"AP": index / 40}}
            evaluate(model, box_dataset, summary={"mAP": index / 40}, per_label=per_label)
        log_last_value(model, "loss/val", 1 / (index + 1))
        versions.append(model)
        parent = model
    return versions


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_the_count_is_the_same_for_3_and_30_versions(client, cast, many, headers):
    client.force_login(cast.viewer)
    params = {"eval": "mAP,AP50", "pc": "metric:loss/val"}

    few = queries_for(
        client, section_url(cast.project, models_query(many[:3], **params)), **headers
    )
    lots = queries_for(client, section_url(cast.project, models_query(many, **params)), **headers)

    assert few == lots
    assert lots <= 12


def test_the_count_is_the_same_for_1_and_4_metrics(client, cast, many):
    client.force_login(cast.viewer)

    one = queries_for(client, section_url(cast.project, models_query(many, eval="mAP")))
    four = queries_for(
        client, section_url(cast.project, models_query(many, eval="mAP,AP50,AP75,recall"))
    )

    assert one == four


@pytest.mark.parametrize("chart", ["bars", "heatmap", "by_version", "parallel"])
def test_a_csv_export_has_a_fixed_count_too(client, cast, many, chart):
    client.force_login(cast.viewer)

    few = queries_for(client, csv_url(cast.project, chart, models_query(many[:3], eval="mAP")))
    lots = queries_for(client, csv_url(cast.project, chart, models_query(many, eval="mAP")))

    assert few == lots
