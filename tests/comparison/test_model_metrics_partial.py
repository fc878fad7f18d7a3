"""The model page's metric charts and the partial that htmx polls while the model trains."""

import json
import re

import pytest

from comparison.services import metrics_log
from registry.models import ModelStatus
from tests.fixtures.versions import points

pytestmark = pytest.mark.django_db

XSS = "</script><script>alert(1)</script>"


def partial_url(model, project=None) -> str:
    project_id = (project or model.project).id
    return f"/projects/{project_id}/models/{model.id}/metrics/partial"


def chart_data(html: str) -> list:
    found = re.search(
        r'<script id="model-metrics-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(found.group(1))


def test_it_hands_one_figure_per_group_to_the_charts(client, cast, model):
    metrics_log(model=model, points=points("loss/train", 3) + points("loss/val", 2))
    metrics_log(model=model, points=points("acc", 1))
    client.force_login(cast.viewer)

    figures = chart_data(client.get(partial_url(model)).content.decode())

    assert [figure["name"] for figure in figures] == ["acc", "loss"]
    loss = figures[1]["traces"]
    assert [(t["name"], t["legend"], t["total_points"]) for t in loss] == [
        ("loss/train", "train", 3),
        ("loss/val", "val", 2),
    ]
    assert loss[0]["steps"] == [0, 1, 2]


def test_a_metric_named_like_a_script_stays_inert(client, cast, model):
    metrics_log(model=model, points=[{"name": XSS, "step": 0, "value": 1.0}])
    client.force_login(cast.viewer)

    html = client.get(partial_url(model)).content.decode()

    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html
    assert chart_data(html)[0]["traces"][0]["name"] == XSS


def test_a_model_without_metrics_shows_the_empty_state(client, cast, model):
    client.force_login(cast.viewer)

    html = client.get(partial_url(model)).content.decode()

    assert "No metrics logged for this version." in html
    assert "model-metrics-data" not in html


@pytest.mark.parametrize("status", [ModelStatus.QUEUED, ModelStatus.TRAINING])
def test_it_polls_every_three_seconds_while_the_model_trains(client, cast, model, status):
    model.status = status
    model.save()
    client.force_login(cast.viewer)

    html = client.get(partial_url(model)).content.decode()

    assert f'hx-get="{partial_url(model)}"' in html
    assert 'hx-trigger="every 3s"' in html
    assert 'hx-select="#model-metrics-feed"' in html


def test_it_stops_polling_once_the_model_is_trained(client, cast, model):
    model.status = ModelStatus.TRAINED
    model.save()
    client.force_login(cast.viewer)

    assert "hx-get" not in client.get(partial_url(model)).content.decode()


def test_the_model_page_draws_the_charts(client, cast, model):
    metrics_log(model=model, points=points("loss/train", 3))
    client.force_login(cast.viewer)

    html = client.get(f"/projects/{cast.project.id}/models/{model.id}/").content.decode()

    assert chart_data(html)[0]["name"] == "loss"
    assert "vendor/plotly.min.js" in html
    assert "comparison/model_metrics.js" in html


def test_a_public_model_shows_its_charts_inside_a_project(client, cast, public_model):
    metrics_log(model=public_model, points=points("acc", 2))
    client.force_login(cast.viewer)

    response = client.get(partial_url(public_model, project=cast.project))

    assert chart_data(response.content.decode())[0]["name"] == "acc"


def test_an_outsider_gets_404(client, cast, model):
    client.force_login(cast.outsider)

    assert client.get(partial_url(model)).status_code == 404


def test_a_model_of_another_project_is_404_through_this_project(client, cast, other_model):
    client.force_login(cast.owner)

    assert client.get(partial_url(other_model, project=cast.project)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, model):
    response = client.get(partial_url(model))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
