"""`mlflow.sklearn.autolog()` on a small fit: the run, its params, metrics and model land."""

import mlflow
import mlflow.sklearn
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from comparison.models import MetricSeries
from tracking.models import LoggedModel, Run, RunStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def autologging():
    mlflow.sklearn.autolog(log_datasets=True, silent=True)
    yield
    mlflow.sklearn.autolog(disable=True)


def test_an_autologged_fit_finishes_with_its_params_metrics_and_model(logged_in, autologging):
    images, labels = load_digits(return_X_y=True)
    mlflow.set_experiment("Vision/autolog")

    with mlflow.start_run() as run:
        LogisticRegression(max_iter=300, C=0.5).fit(images[:400], labels[:400])

    stored = Run.objects.select_related("model").get(run_id=run.info.run_id)
    model = stored.model
    assert stored.status == RunStatus.FINISHED
    assert model.configuration["max_iter"] == "300"
    assert model.configuration["C"] == "0.5"
    accuracy = MetricSeries.objects.get(model=model, name="training_accuracy_score")
    assert accuracy.last_value > 0.9
    logged = LoggedModel.objects.get(run=stored)
    assert logged.status == "LOGGED_MODEL_READY"
    files = set(model.artifacts.values_list("name", flat=True))
    assert f"models/{logged.model_id}/MLmodel" in files
    assert stored.tags["estimator_name"] == "LogisticRegression"
    assert stored.inputs  # the training set's dataset record, from log-inputs
    loaded = mlflow.sklearn.load_model(f"models:/{logged.model_id}")
    assert (loaded.predict(images[:50]) == labels[:50]).mean() > 0.8
