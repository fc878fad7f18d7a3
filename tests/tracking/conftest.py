"""The real mlflow client pointed at a live Modelyard, as a user's training script would be."""

import mlflow
import pytest
from mlflow.tracking import fluent

from registry.models import Role
from tests.factories import ProjectFactory
from tests.sdk.conftest import Member, member_of


@pytest.fixture
def vision(transactional_db) -> Member:
    """The developer whose token the client uses, in project Vision."""
    return member_of(ProjectFactory(name="Vision"), "mia", role=Role.DEVELOPER)


@pytest.fixture
def tracking_uri(live_server) -> str:
    return f"{live_server.url}/mlflow"


@pytest.fixture
def logged_in(vision, tracking_uri, monkeypatch) -> Member:
    """MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN set, as the README says."""
    signed_in_as(vision.token, tracking_uri, monkeypatch)
    yield vision
    while mlflow.active_run():
        mlflow.end_run()
    fluent._active_experiment_id = None  # set_experiment's choice outlives the test otherwise


def signed_in_as(token: str, tracking_uri: str, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.delenv("MLFLOW_EXPERIMENT_NAME", raising=False)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    mlflow.set_tracking_uri(tracking_uri)
