"""The page's query count is fixed: it grows with neither the versions nor the metrics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparison.services import metrics_log
from evaluation.models import Evaluation
from tests.comparison.compare.conftest import compare_url, models_param
from tests.factories import DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db

NAMES = ["loss/train", "loss/val", "accuracy", "lr", "grad/norm"]


def versions_with_metrics(project, package, count: int) -> list:
    dataset = DatasetFactory(project=project)
    versions = []
    for index in range(count):
        version = ModelVersionFactory(
            project=project,
            package=package,
            configuration={"lr": index, "nested": {"depth": index % 3}},
        )
        points = [
            {"name": name, "step": step, "value": float(step * (index + 1))}
            for name in NAMES
            for step in range(4)
        ]
        metrics_log(model=version, points=points)
        Evaluation.objects.create(
            project=project,
            model=version,
            dataset=dataset,
            name="eval",
            kind="box",
            mode="offline",
            status="succeeded",
            summary={"mAP": 0.5},
        )
        versions.append(version)
    return versions


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def many(cast, public_package):
    return versions_with_metrics(cast.project, public_package, 30)


@pytest.fixture
def viewer(client, cast):
    client.force_login(cast.viewer)
    return client


def page(project, versions, names, extra: str = "at=2") -> str:
    query = f"models={models_param(*versions)}&metrics={','.join(names)}&eval=mAP&{extra}"
    return compare_url(project, query)


def test_the_query_count_does_not_grow_with_the_versions(viewer, cast, many):
    viewer.get(page(cast.project, many[:3], NAMES))  # warm the session

    few = queries_for(viewer, page(cast.project, many[:3], NAMES))
    lots = queries_for(viewer, page(cast.project, many, NAMES))

    assert few == lots
    assert lots <= 12


def test_the_query_count_does_not_grow_with_the_metrics(viewer, cast, many):
    viewer.get(page(cast.project, many, NAMES[:1]))

    one = queries_for(viewer, page(cast.project, many, NAMES[:1]))
    five = queries_for(viewer, page(cast.project, many, NAMES))

    assert one == five


def test_the_value_at_a_step_costs_one_query(viewer, cast, many):
    viewer.get(page(cast.project, many, NAMES, extra=""))

    without = queries_for(viewer, page(cast.project, many, NAMES, extra=""))
    with_step = queries_for(viewer, page(cast.project, many, NAMES, extra="at=2"))

    assert with_step == without + 1


@pytest.mark.parametrize("export", ["series.csv", "summary.csv", "config.csv"])
def test_the_csv_exports_have_a_fixed_query_count_too(viewer, cast, many, export):
    def url(versions):
        query = f"models={models_param(*versions)}&metrics={','.join(NAMES)}&at=2"
        return f"/projects/{cast.project.id}/compare/export/{export}?{query}"

    def count(versions) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = viewer.get(url(versions))
            b"".join(response.streaming_content)
        return len(captured)

    # Warm: the first read of a series at a size also writes its preview (a fixed +2).
    count(many)
    assert count(many[:3]) == count(many)
