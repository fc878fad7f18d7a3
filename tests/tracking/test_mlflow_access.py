"""Who may reach what through the MLflow-compatible API, and its errors in MLflow's form."""

import base64

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from rest_framework.test import APIClient

from registry.models import Role
from registry.services.tokens import token_create
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.sdk.conftest import member_of
from tests.tracking.conftest import signed_in_as
from tracking.models import Experiment, Run

pytestmark = pytest.mark.django_db(transaction=True)
API = "/mlflow/api/2.0/mlflow"


def a_run(logged_in) -> str:
    mlflow.set_experiment("Vision/secret")
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.5, step=1)
    return run.info.run_id


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_an_outsider_is_told_the_run_does_not_exist(logged_in, tracking_uri, monkeypatch):
    run_id = a_run(logged_in)
    outsider = member_of(ProjectFactory(name="Elsewhere"), "olga")
    signed_in_as(outsider.token, tracking_uri, monkeypatch)

    with pytest.raises(MlflowException) as hidden:
        MlflowClient().get_run(run_id)
    assert hidden.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    # The client turns RESOURCE_DOES_NOT_EXIST into None here.
    assert MlflowClient().get_experiment_by_name("Vision/secret") is None


def test_a_viewer_reads_a_run_but_cannot_log_to_it(logged_in, tracking_uri, monkeypatch):
    run_id = a_run(logged_in)
    viewer = member_of(logged_in.project, "victor", role=Role.VIEWER)
    signed_in_as(viewer.token, tracking_uri, monkeypatch)
    client = MlflowClient()

    assert client.get_run(run_id).data.metrics == {"loss": 0.5}
    with pytest.raises(MlflowException) as refused:
        client.log_metric(run_id, "loss", 0.1, step=2)

    assert refused.value.error_code == "PERMISSION_DENIED"
    assert len(client.get_metric_history(run_id, "loss")) == 1


def test_errors_answer_in_mlflows_form_with_the_matching_status(logged_in):
    client = bearer(logged_in.token)

    missing = client.get(f"{API}/runs/get", {"run_id": "0" * 32})
    no_field = client.post(f"{API}/runs/create", {}, format="json")
    anonymous = APIClient().get(f"{API}/experiments/get", {"experiment_id": "1"})
    bad_token = bearer("nope").get(f"{API}/experiments/get", {"experiment_id": "1"})

    assert missing.status_code == 404
    assert missing.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    assert no_field.status_code == 400
    assert no_field.json() == {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": "Missing value for required parameter 'experiment_id'.",
    }
    assert anonymous.status_code == bad_token.status_code == 401
    assert anonymous.json()["error_code"] == bad_token.json()["error_code"] == "UNAUTHENTICATED"


def test_creating_an_experiment_twice_says_it_exists(logged_in):
    client = bearer(logged_in.token)

    first = client.post(f"{API}/experiments/create", {"name": "Vision/a"}, format="json")
    again = client.post(f"{API}/experiments/create", {"name": "Vision/a"}, format="json")

    assert first.status_code == 200
    assert first.json()["experiment_id"] == str(Experiment.objects.get(name="a").pk)
    assert again.status_code == 400
    assert again.json()["error_code"] == "RESOURCE_ALREADY_EXISTS"


def test_a_bare_experiment_name_is_the_users_only_project_and_else_must_name_one(logged_in):
    client = bearer(logged_in.token)
    bare = client.post(f"{API}/experiments/create", {"name": "quick"}, format="json")
    member_of_two = UserFactory(username="two")
    for name in ("One", "Two"):
        MembershipFactory(project=ProjectFactory(name=name), user=member_of_two)
    token = token_create(user=member_of_two, name="t")[1]
    ambiguous = bearer(token).post(f"{API}/experiments/create", {"name": "quick"}, format="json")

    assert bare.status_code == 200
    assert Experiment.objects.get(pk=bare.json()["experiment_id"]).project == logged_in.project
    assert ambiguous.status_code == 400
    assert "'project/quick'" in ambiguous.json()["message"]


def test_basic_auth_with_a_username_and_password_logs_too(vision, tracking_uri, monkeypatch):
    vision.user.set_password("s3cret-words")
    vision.user.save()
    signed_in_as("", tracking_uri, monkeypatch)
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "mia")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "s3cret-words")

    mlflow.set_experiment("Vision/basic")
    with mlflow.start_run() as run:
        mlflow.log_param("a", 1)
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"mia:wrong").decode())

    assert Run.objects.get(run_id=run.info.run_id).user == vision.user
    answer = wrong.get(f"{API}/experiments/get", {"experiment_id": "1"})
    assert answer.status_code == 401
    assert answer.json()["error_code"] == "UNAUTHENTICATED"
