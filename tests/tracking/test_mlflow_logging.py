"""An unmodified mlflow script logs into Modelyard: experiments, runs, params, metrics, tags."""

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from rest_framework.test import APIClient

from comparison.models import MetricSeries
from comparison.selectors import series_points
from registry.models import ModelStatus, ModelVersion
from tracking.models import Experiment, Run, RunStatus

pytestmark = pytest.mark.django_db(transaction=True)


def stored_points(model: ModelVersion, name: str) -> list[tuple[int, float]]:
    series = MetricSeries.objects.get(model=model, name=name)
    points = series_points(series, max_points=1000)
    return list(zip(points["steps"], points["values"], strict=True))


def a_training_script() -> str:
    """What a user's train.py does, word for word as MLflow's docs write it."""
    mlflow.set_experiment("Vision/sweep")
    with mlflow.start_run(run_name="lr-0.01") as run:
        mlflow.log_param("learning_rate", 0.01)
        mlflow.log_params({"epochs": 3, "optimizer": "adamw"})
        for step in range(5):
            mlflow.log_metric("loss/train", 1 / (step + 1), step=step)
        mlflow.log_metrics({"accuracy/val": 0.8, "val-top.5": 0.95}, step=4)
        mlflow.set_tag("team", "vision")
        mlflow.set_tags({"mlflow.note.content": "A first sweep.", "seed": "0"})
    return run.info.run_id


def test_a_training_script_becomes_a_version_with_its_params_metrics_and_tags(logged_in):
    run_id = a_training_script()

    run = Run.objects.select_related("model", "experiment").get(run_id=run_id)
    model = run.model
    assert (run.experiment.project, run.experiment.name) == (logged_in.project, "sweep")
    assert (model.project, model.name) == (logged_in.project, "lr-0.01")
    assert model.package.name == "external"
    assert model.configuration == {"learning_rate": "0.01", "epochs": "3", "optimizer": "adamw"}
    assert stored_points(model, "loss/train") == [(s, 1 / (s + 1)) for s in range(5)]
    assert stored_points(model, "accuracy/val") == [(4, 0.8)]
    assert stored_points(model, "val-top.5") == [(4, 0.95)]
    assert {"team:vision", "seed:0"} <= set(model.tags.values_list("name", flat=True))
    assert model.description == "A first sweep."
    assert run.tags["team"] == "vision"
    assert run.tags["mlflow.runName"] == "lr-0.01"
    assert run.status == RunStatus.FINISHED
    assert model.status == ModelStatus.TRAINED
    assert run.end_time >= run.start_time > 0


def test_the_client_reads_back_what_it_logged(logged_in):
    run_id = a_training_script()
    client = MlflowClient()

    run = client.get_run(run_id)
    history = client.get_metric_history(run_id, "loss/train")
    experiment = mlflow.get_experiment_by_name("Vision/sweep")

    assert run.data.params == {"learning_rate": "0.01", "epochs": "3", "optimizer": "adamw"}
    assert run.data.metrics["loss/train"] == pytest.approx(0.2)
    assert run.data.tags["team"] == "vision"
    assert (run.info.status, run.info.run_name) == ("FINISHED", "lr-0.01")
    assert [(point.step, point.value) for point in history] == [
        (step, pytest.approx(1 / (step + 1))) for step in range(5)
    ]
    assert all(point.timestamp > 1_700_000_000_000 for point in history)
    assert experiment.experiment_id == str(Experiment.objects.get(name="sweep").pk)


def test_a_second_run_of_the_same_name_gets_its_own_version(logged_in):
    first, second = a_training_script(), a_training_script()

    names = [Run.objects.get(run_id=run_id).model.name for run_id in (first, second)]

    assert first != second
    assert names == ["lr-0.01", "lr-0.01-2"]


def test_changing_a_logged_param_is_refused_as_mlflow_refuses_it(logged_in):
    mlflow.set_experiment("Vision/sweep")
    with mlflow.start_run() as run:
        mlflow.log_param("learning_rate", 0.01)
        with pytest.raises(MlflowException) as refused:
            mlflow.log_param("learning_rate", 0.1)
        mlflow.log_param("learning_rate", 0.01)  # the same value again is fine

    assert refused.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Changing param values is not allowed" in refused.value.message
    model = Run.objects.get(run_id=run.info.run_id).model
    assert model.configuration == {"learning_rate": "0.01"}


def test_a_batch_with_one_bad_row_stores_nothing(logged_in):
    mlflow.set_experiment("Vision/sweep")
    with mlflow.start_run() as run:
        client = MlflowClient()
        metrics = [mlflow.entities.Metric("loss", 0.5, 1_700_000_000_000, 1)]
        params = [mlflow.entities.Param("big", "x" * 6001)]
        with pytest.raises(MlflowException) as refused:
            client.log_batch(run.info.run_id, metrics=metrics, params=params)

    assert refused.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "at most 6000" in refused.value.message
    model = Run.objects.get(run_id=run.info.run_id).model
    assert not MetricSeries.objects.filter(model=model).exists()
    assert model.configuration == {}


def test_a_failed_run_fails_its_version(logged_in):
    mlflow.set_experiment("Vision/sweep")
    with pytest.raises(RuntimeError), mlflow.start_run() as run:
        raise RuntimeError("out of memory")

    stored = Run.objects.select_related("model").get(run_id=run.info.run_id)
    assert stored.status == RunStatus.FAILED
    assert stored.model.status == ModelStatus.FAILED


def test_points_sent_asynchronously_and_out_of_order_all_arrive(logged_in):
    mlflow.set_experiment("Vision/sweep")
    with mlflow.start_run() as run:
        for step in (5, 3, 9, 0, 7, 1, 8, 2, 6, 4):
            mlflow.log_metric("loss", step / 10, step=step, synchronous=False)
        mlflow.flush_async_logging()

    model = Run.objects.get(run_id=run.info.run_id).model
    assert sorted(stored_points(model, "loss")) == [(step, step / 10) for step in range(10)]


def test_the_series_endpoint_serves_the_logged_points_with_their_times(logged_in):
    run_id = a_training_script()
    model = Run.objects.get(run_id=run_id).model
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {logged_in.token}")

    answer = client.get(f"/api/v1/metrics/series?models={model.id}&names=loss/train").json()

    [series] = answer["series"]
    assert series["steps"] == [0, 1, 2, 3, 4]
    assert series["values"] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    history = MlflowClient().get_metric_history(run_id, "loss/train")
    assert series["timestamps"] == pytest.approx([point.timestamp / 1000 for point in history])


def test_a_batch_over_mlflows_limits_is_refused_whole(logged_in):
    mlflow.set_experiment("Vision/sweep")
    with mlflow.start_run() as run:
        client = MlflowClient()
        too_many = [mlflow.entities.Metric("loss", 0.5, 1_700_000_000_000, s) for s in range(1001)]
        # The client splits big batches itself; the server's own bound is checked directly.
        store = client._tracking_client.store
        with pytest.raises(MlflowException) as refused:
            store.log_batch(run.info.run_id, metrics=too_many, params=[], tags=[])

    assert refused.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "at most 1000" in refused.value.message
    model = Run.objects.get(run_id=run.info.run_id).model
    assert not MetricSeries.objects.filter(model=model).exists()


def test_deleted_runs_leave_the_search_and_come_back_restored(logged_in):
    first, second = a_training_script(), a_training_script()
    client = MlflowClient()
    experiment_id = client.get_run(first).info.experiment_id

    client.delete_run(first)
    after_delete = {run.info.run_id for run in client.search_runs([experiment_id])}
    client.restore_run(first)
    after_restore = {run.info.run_id for run in client.search_runs([experiment_id])}

    assert after_delete == {second}
    assert after_restore == {first, second}
    assert client.get_run(first).info.lifecycle_stage == "active"


def test_a_deleted_tag_leaves_the_run_and_the_version(logged_in):
    run_id = a_training_script()
    client = MlflowClient()

    client.delete_tag(run_id, "team")

    assert "team" not in client.get_run(run_id).data.tags
    model = Run.objects.get(run_id=run_id).model
    assert "team:vision" not in set(model.tags.values_list("name", flat=True))
    assert "seed:0" in set(model.tags.values_list("name", flat=True))


def test_experiments_are_listed_for_their_members(logged_in):
    a_training_script()
    mlflow.set_experiment("Vision/other")

    names = [experiment.name for experiment in MlflowClient().search_experiments()]

    assert names == ["Vision/sweep", "Vision/other"]
