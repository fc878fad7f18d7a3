"""The project's Evaluations page: rows, filters, pagination, empty states, query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from data.models import AnnotationKind
from evaluation.models import Evaluation
from jobs.models import Job, JobKind, JobStatus
from tests.evaluation.review.conftest import review_url
from tests.factories import (
    DatasetFactory,
    ModelVersionFactory,
    PackageFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY = {"mAP": 0.4321, "AP50": 0.7, "counts": {"tp": 5, "fp": 3, "fn": 2}}


def list_url(project, query: str = "") -> str:
    return f"/projects/{project.id}/evaluations/{query}"


def evaluate(model, dataset, name: str, **fields) -> Evaluation:
    defaults = {"kind": "box", "mode": "offline", "status": "succeeded", "subset": "test"}
    return Evaluation.objects.create(
        project=model.project,
        model=model,
        dataset=dataset,
        name=name,
        **{**defaults, **fields},
    )


@pytest.fixture
def world(cast):
    """Two models, two datasets, three evaluations in Acme (oldest first), one elsewhere."""
    package = PackageFactory(project=None, output_type=AnnotationKind.BOX)
    models = [
        ModelVersionFactory(project=cast.project, package=package, name=name)
        for name in ("detector v1", "detector v2")
    ]
    datasets = [
        DatasetFactory(project=cast.project, name=name, annotation_kind="box")
        for name in ("parts", "shapes")
    ]
    first = evaluate(models[0], datasets[0], "first run", summary=SUMMARY, created_by=cast.owner)
    second = evaluate(models[0], datasets[1], "second run", subset="", status="failed")
    third = evaluate(models[1], datasets[0], "third run", mode="online", status="created")
    theirs = ModelVersionFactory(project=cast.other_project, package=package, name="theirs")
    evaluate(theirs, DatasetFactory(project=cast.other_project), "their run")
    return {"models": models, "datasets": datasets, "runs": [first, second, third]}


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/projects/\d+/evaluations/\d+/">([^<]+)</a>', html)


def page(client, cast, query: str = "") -> str:
    response = client.get(list_url(cast.project, query))
    assert response.status_code == 200
    return response.content.decode()


def test_a_viewer_sees_the_projects_evaluations_newest_first(client, cast, world):
    client.force_login(cast.viewer)

    html = page(client, cast)

    assert names(html) == ["third run", "second run", "first run"]
    assert review_url(world["runs"][0]) in html
    assert f'/projects/{cast.project.id}/models/{world["models"][0].id}/"' in html
    assert "their run" not in html


def test_an_outsider_gets_a_404_and_an_anonymous_visitor_signs_in(client, cast, world):
    assert client.get(list_url(cast.project)).status_code == 302
    client.force_login(cast.outsider)

    assert client.get(list_url(cast.project)).status_code == 404


def test_a_row_shows_the_headline_metric_counts_and_who_started_it(client, cast, world):
    Evaluation.objects.filter(pk=world["runs"][0].pk).update(
        item_count=12, prediction_count=34, ground_truth_count=56
    )
    client.force_login(cast.viewer)

    row = _row(page(client, cast), world["runs"][0])

    assert "mAP</span> 0.432" in row
    assert "12 / 34 / 56" in row
    assert "3 / 2" in row  # FP / FN
    assert "owner" in row
    assert "parts</a> / test" in row


def test_a_failed_evaluation_shows_the_last_line_of_its_jobs_error(client, cast, world):
    failed = world["runs"][1]
    failed.job = Job.objects.create(
        project=cast.project,
        kind=JobKind.EVALUATE,
        status=JobStatus.FAILED,
        error="Traceback (most recent call last):\n  ...\nValueError: no weights\n",
    )
    failed.save()
    client.force_login(cast.viewer)

    row = _row(page(client, cast), failed)

    assert "Failed" in row
    assert "ValueError: no weights" in row
    assert f"/jobs/{failed.job_id}/" in row


def test_an_online_evaluation_says_what_its_job_is_doing(client, cast, world):
    online = world["runs"][2]
    online.job = Job.objects.create(
        project=cast.project, kind=JobKind.EVALUATE, status=JobStatus.RUNNING
    )
    online.save()
    client.force_login(cast.viewer)

    assert ">predicting</span>" in _row(page(client, cast), online)


def test_it_filters_by_model_dataset_and_status_from_the_url(client, cast, world):
    client.force_login(cast.viewer)
    model, dataset = world["models"][0], world["datasets"][0]

    by_model = page(client, cast, f"?model={model.id}")
    by_both = page(client, cast, f"?model={model.id}&dataset={dataset.id}")
    by_status = page(client, cast, "?status=failed")

    assert names(by_model) == ["second run", "first run"]
    assert f'<option value="{model.id}" selected>' in by_model
    assert names(by_both) == ["first run"]
    assert f'<option value="{dataset.id}" selected>' in by_both
    assert names(by_status) == ["second run"]
    assert '<option value="failed" selected>' in by_status


def test_a_filter_value_from_elsewhere_is_dropped_not_an_error(client, cast, world):
    theirs = Evaluation.objects.get(name="their run")
    client.force_login(cast.viewer)

    html = page(client, cast, f"?model={theirs.model_id}&dataset=x&status=bogus")

    assert len(names(html)) == 3


def test_filters_that_match_nothing_say_so(client, cast, world):
    client.force_login(cast.viewer)

    html = page(client, cast, f"?model={world['models'][1].id}&status=failed")

    assert "No evaluation matches these filters." in html


def test_it_paginates(client, cast, world):
    client.force_login(cast.viewer)

    first = page(client, cast, "?per_page=2")
    second = page(client, cast, "?per_page=2&page=2")

    assert names(first) == ["third run", "second run"]
    assert "Page 1 of 2 · 3 in all" in first
    assert names(second) == ["first run"]


@pytest.mark.parametrize(
    ("role", "hint"),
    [
        ("developer", "press <strong>Evaluate</strong> on its page"),
        ("viewer", "A developer of this project can evaluate"),
    ],
)
def test_the_empty_list_says_how_to_evaluate(client, cast, role, hint):
    client.force_login(cast.user(role))

    html = page(client, cast)

    assert "No evaluations yet." in html
    assert hint in html


def test_the_nav_highlights_evaluations_here_and_on_the_review_page(client, cast, world):
    client.force_login(cast.viewer)
    current = re.compile(r'evaluations/" aria-current="page">Evaluations</a>')

    assert current.search(page(client, cast))
    review = client.get(review_url(world["runs"][0])).content.decode()
    assert current.search(review)


def test_the_query_count_does_not_grow_with_the_rows(client, cast, world):
    client.force_login(cast.viewer)
    page(client, cast)  # warm the session
    small = _queries(client, cast)
    for index in range(20):
        model = ModelVersionFactory(project=cast.project, name=f"extra {index}")
        job = Job.objects.create(project=cast.project, kind=JobKind.EVALUATE, status="failed")
        evaluate(
            model,
            world["datasets"][1],
            f"extra {index}",
            status="failed",
            job=job,
            created_by=UserFactory(),
        )

    assert _queries(client, cast) == small
    assert small <= 10


def test_a_project_of_its_own_lists_only_its_evaluations(client, cast, world):
    elsewhere = ProjectFactory()
    client.force_login(cast.outsider)

    assert client.get(list_url(elsewhere)).status_code == 404
    their_project = client.get(list_url(cast.other_project)).content.decode()
    assert names(their_project) == ["their run"]


def _row(html: str, evaluation: Evaluation) -> str:
    found = re.search(rf'<tr data-evaluation="{evaluation.id}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {evaluation.name}"
    return found.group(1)


def _queries(client, cast) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(list_url(cast.project))
    assert response.status_code == 200
    return len(captured)


def test_a_public_models_evaluations_show_in_each_project_that_made_them_only(client, cast, world):
    pretrained = ModelVersionFactory(project=None, package=world["models"][0].package)
    ours = Evaluation.objects.create(
        project=cast.project,
        model=pretrained,
        dataset=world["datasets"][0],
        name="pretrained run",
        kind="box",
        mode="online",
    )
    theirs_dataset = DatasetFactory(project=cast.other_project, annotation_kind="box")
    theirs = Evaluation.objects.create(
        project=cast.other_project,
        model=pretrained,
        dataset=theirs_dataset,
        name="their pretrained run",
        kind="box",
        mode="online",
    )
    client.force_login(cast.viewer)

    everything = page(client, cast)
    by_model = page(client, cast, f"?model={pretrained.id}")

    assert "pretrained run" in names(everything)
    assert "their pretrained run" not in everything
    assert names(by_model) == ["pretrained run"]
    assert f'<option value="{pretrained.id}" selected>' in by_model
    assert client.get(review_url(ours)).status_code == 200
    assert client.get(f"/projects/{cast.project.id}/evaluations/{theirs.id}/").status_code == 404
