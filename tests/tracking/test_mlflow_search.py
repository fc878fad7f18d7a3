"""search_runs with MLflow's filter syntax and order_by, through the real client."""

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sweep(logged_in) -> dict[str, str]:
    """Four runs of one sweep: run name → run id."""
    mlflow.set_experiment("Vision/sweep")
    runs = {}
    for name, lr, optimizer, accuracy, team in (
        ("a", "0.1", "sgd", 0.71, "vision"),
        ("b", "0.01", "adamw", 0.93, "vision"),
        ("c", "0.001", "adamw", 0.88, "robots"),
        ("d", "0.01", "sgd", 0.95, "vision-ext"),
    ):
        with mlflow.start_run(run_name=name) as run:
            mlflow.log_params({"learning_rate": lr, "optimizer": optimizer})
            mlflow.log_metric("accuracy/val", accuracy, step=3)
            mlflow.set_tag("team", team)
        runs[name] = run.info.run_id
    return runs


def names_of(runs) -> list[str]:
    return [run.info.run_name for run in runs]


def experiment_id() -> str:
    return mlflow.get_experiment_by_name("Vision/sweep").experiment_id


def search(filter_string: str = "", order_by=None) -> list[str]:
    found = MlflowClient().search_runs([experiment_id()], filter_string, order_by=order_by)
    return names_of(found)


def test_metrics_params_tags_and_attributes_filter_the_runs(sweep):
    assert search("metrics.`accuracy/val` > 0.9", ["attributes.run_name"]) == ["b", "d"]
    assert search("params.optimizer = 'adamw' and metrics.`accuracy/val` >= 0.9") == ["b"]
    assert search("tags.team LIKE 'vision%'", ["run_name ASC"]) == ["a", "b", "d"]
    assert search("tags.team ILIKE 'VISION'") == ["b", "a"]
    assert search("params.learning_rate != '0.01'", ["attributes.run_name"]) == ["a", "c"]
    assert search(f"attributes.run_id IN ('{sweep['a']}', '{sweep['c']}')", ["run_name"]) == [
        "a",
        "c",
    ]
    assert search("attributes.status = 'FINISHED'", ["attributes.run_name"]) == list("abcd")


def test_order_by_a_metric_and_the_default_newest_first(sweep):
    assert search("", ["metrics.`accuracy/val` DESC"]) == ["d", "b", "c", "a"]
    assert search("") == ["d", "c", "b", "a"]


def test_the_fluent_search_answers_a_data_frame(sweep):
    frame = mlflow.search_runs(
        experiment_names=["Vision/sweep"], filter_string="params.optimizer = 'sgd'"
    )

    assert sorted(frame["tags.mlflow.runName"]) == ["a", "d"]
    assert sorted(frame["metrics.accuracy/val"]) == [0.71, 0.95]


def test_a_bad_filter_names_the_position_of_the_error(sweep):
    with pytest.raises(MlflowException) as refused:
        MlflowClient().search_runs([experiment_id()], "metrics.accuracy > 'high'")
    with pytest.raises(MlflowException) as no_or:
        MlflowClient().search_runs([experiment_id()], "params.a = '1' or params.b = '2'")

    assert refused.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "position 0" in refused.value.message
    assert "position 15" in no_or.value.message
    assert "AND" in no_or.value.message


def test_pages_of_results_follow_the_token(sweep):
    client = MlflowClient()

    first = client.search_runs([experiment_id()], max_results=3)
    second = client.search_runs([experiment_id()], max_results=3, page_token=first.token)

    assert names_of(first) == ["d", "c", "b"]
    assert names_of(second) == ["a"]
    assert second.token is None
