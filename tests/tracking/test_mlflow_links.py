"""The pages behind the client's printed links keep to the project's members."""

import re

import mlflow
import pytest
from rest_framework.test import APIClient

from tests.factories import ModelVersionFactory, ProjectFactory
from tests.sdk.conftest import member_of
from tracking.models import Run

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_outsider_following_a_run_link_gets_404_and_a_member_the_version(logged_in, client):
    mlflow.set_experiment("Vision/links")
    with mlflow.start_run() as run:
        mlflow.log_param("a", "1")
    outsider = member_of(ProjectFactory(name="Elsewhere"), "olga")

    client.force_login(outsider.user)
    hidden = client.get(f"/mlflow/runs/{run.info.run_id}/")
    no_experiment = client.get(f"/mlflow/experiments/{run.info.experiment_id}/")
    client.force_login(logged_in.user)
    shown = client.get(f"/mlflow/runs/{run.info.run_id}/")

    assert hidden.status_code == no_experiment.status_code == 404
    assert shown.status_code == 302
    assert shown["Location"].startswith(f"/projects/{logged_in.project.id}/models/")


def test_the_tracking_uri_itself_is_a_page_that_says_what_it_is(client):
    answer = client.get("/mlflow/")

    assert answer.status_code == 200
    assert b"MLFLOW_TRACKING_URI" in answer.content


def test_the_versions_page_shows_the_run_its_state_and_duration(logged_in, client):
    mlflow.set_experiment("Vision/links")
    with mlflow.start_run(run_name="shown") as run:
        mlflow.set_tag("mlflow.source.name", "train.py")
    model = Run.objects.get(run_id=run.info.run_id).model
    other = ModelVersionFactory(project=logged_in.project, name="trained here")
    client.force_login(logged_in.user)

    page = client.get(f"/projects/{model.project_id}/models/{model.id}/").content.decode()
    plain = client.get(f"/projects/{other.project_id}/models/{other.id}/").content.decode()

    assert "Logged through MLflow" in page
    assert run.info.run_id in page
    assert ">FINISHED<" in page
    assert "<code>train.py</code>" in page
    assert re.search(r"<dt>Duration</dt><dd>\d+\.\d s</dd>", page)
    assert "Logged through MLflow" not in plain


def test_a_logged_version_cannot_be_trained_or_deployed_and_says_why(logged_in):
    mlflow.set_experiment("Vision/links")
    with mlflow.start_run(run_name="elsewhere") as run:
        mlflow.log_text("weights", "weights.bin")
    model = Run.objects.get(run_id=run.info.run_id).model
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {logged_in.token}")

    train = api.post(f"/api/v1/models/{model.id}/train", {}, format="json")
    deploy = api.post(f"/api/v1/models/{model.id}/deploy", {}, format="json")

    assert train.status_code == deploy.status_code == 400
    assert "logged from outside Modelyard (through MLflow)" in str(train.json())
    assert "no adapter to predict with" in str(deploy.json())
