"""The review page in full: summary, per-label table, charts' data, pending states, escaping."""

import json
import re

import pytest

from evaluation.models import EvalGroundTruth, EvalPrediction
from jobs.models import Job
from tests.evaluation.review.conftest import make_evaluation, review_url
from tests.factories import DatasetFactory, ItemFactory, LabelFactory

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def chart_data(html: str) -> dict:
    found = re.search(
        r'<script id="review-chart-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(found.group(1))


def test_it_shows_the_headline_metrics_and_the_per_label_table(client, cast, built):
    client.force_login(cast.viewer)

    response = client.get(review_url(built.evaluation))

    html = response.content.decode()
    assert response.status_code == 200
    for name, value in [
        ("mAP", "0.432"),
        ("AP50", "0.765"),
        ("AP75", "0.346"),
        ("Recall", "0.568"),
    ]:
        assert re.search(rf"<dt>{name}</dt><dd>{value}</dd>", html), name
    table = html[html.index('aria-label="Metrics per label"') :]
    assert table.index(">cat<") < table.index(">dog<")
    assert "0.61" in table
    assert "0.25" in table
    assert "3 items" in html
    assert "4 predictions" in html


def test_it_shows_the_counts_at_the_evaluations_own_thresholds(client, cast, built):
    client.force_login(cast.viewer)

    html = client.get(review_url(built.evaluation)).content.decode()

    assert '<dd id="live-tp">1</dd>' in html
    assert '<dd id="live-fp">3</dd>' in html
    assert '<dd id="live-fn">2</dd>' in html
    assert 'id="review-list-count">3</span>' in html


def test_it_hands_the_confusion_matrix_with_cell_keys_and_the_pr_curves_to_the_charts(
    client, cast, built
):
    client.force_login(cast.viewer)

    data = chart_data(client.get(review_url(built.evaluation)).content.decode())

    keys = [str(built.cat.id), str(built.dog.id), "bg"]
    assert data["confusion"]["keys"] == keys
    assert data["confusion"]["matrix"][0] == [1, 0, 1]
    assert [curve["label"] for curve in data["pr_curves"]] == ["cat", "dog"]


def test_a_classification_evaluation_shows_accuracy_and_f1(client, cast):
    dataset = DatasetFactory(project=cast.project)
    summary = {"accuracy": 0.91, "macro_f1": 0.88, "weighted_f1": 0.9}
    evaluation = make_evaluation(cast.project, dataset, kind="class", summary=summary, per_label={})
    client.force_login(cast.viewer)

    html = client.get(review_url(evaluation)).content.decode()

    assert "<dt>Accuracy</dt><dd>0.910</dd>" in html
    assert "<dt>Macro F1</dt><dd>0.880</dd>" in html
    assert "<dt>Weighted F1</dt><dd>0.900</dd>" in html


@pytest.mark.parametrize("status", ["created", "queued", "running", "failed"])
def test_an_unfinished_evaluation_shows_the_pending_state_with_its_job(client, cast, status):
    dataset = DatasetFactory(project=cast.project)
    job = Job.objects.create(project=cast.project)
    evaluation = make_evaluation(cast.project, dataset, status=status, summary={}, job=job)
    client.force_login(cast.viewer)

    html = client.get(review_url(evaluation)).content.decode()

    assert 'id="review-pending"' in html
    assert f'href="/projects/{cast.project.id}/jobs/{job.id}/"' in html
    assert "review-form" not in html


def test_a_label_named_like_a_script_stays_inert_everywhere(client, cast):
    dataset = DatasetFactory(project=cast.project, annotation_kind="box")
    label = LabelFactory(dataset=dataset, name=XSS)
    item = ItemFactory(dataset=dataset, name=f"{XSS}.png")
    evaluation = make_evaluation(
        cast.project,
        dataset,
        per_label={XSS: {"ap": 0.5}},
        confusion={"labels": [XSS, "background"], "matrix": [[0, 1], [1, 0]]},
        pr_curves={XSS: {"recall": [0, 1], "precision": [1, 0]}},
    )
    EvalPrediction.objects.create(
        evaluation=evaluation, item=item, label=label, confidence=0.7, x=1, y=1, w=4, h=4
    )
    EvalGroundTruth.objects.create(
        evaluation=evaluation, item=item, label=label, x=9, y=9, w=4, h=4
    )
    client.force_login(cast.viewer)

    for query in ("", "?tab=fn"):
        html = client.get(review_url(evaluation, query=query)).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = chart_data(html)
    assert data["confusion"]["labels"][0] == XSS
    assert data["pr_curves"][0]["label"] == XSS
