"""The model page with the project's own URLs: charts drawn whether or not polling is mounted."""

from comparison.services import metrics_log
from registry.models import ModelStatus
from tests.fixtures.versions import points


def test_the_model_page_opens_with_its_charts_under_the_project_urls(client, cast, model):
    model.status = ModelStatus.TRAINING
    model.save()
    metrics_log(model=model, points=points("loss/train", 3))
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/models/{model.id}/")

    assert response.status_code == 200
    assert response.context["metric_charts"]["figures"][0]["name"] == "loss"
    assert b'id="model-metrics-data"' in response.content


def test_the_model_page_shows_the_empty_state_without_metrics(client, cast, model):
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/models/{model.id}/")

    assert b"No metrics logged for this version." in response.content
