"""Experiments and runs in MLflow's JSON form, as the mlflow client reads them."""

from tracking.models import Experiment, Run
from tracking.selectors import latest_metrics


def experiment_json(experiment: Experiment) -> dict:
    return {
        "experiment_id": str(experiment.pk),
        "name": str(experiment),
        "artifact_location": f"mlflow-artifacts:/{experiment.pk}",
        "lifecycle_stage": experiment.lifecycle_stage,
        "creation_time": _ms(experiment.created_at),
        "last_update_time": _ms(experiment.updated_at),
        "tags": [{"key": key, "value": value} for key, value in experiment.tags.items()],
    }


def run_info_json(run: Run) -> dict:
    info = {
        "run_id": run.run_id,
        "run_uuid": run.run_id,
        "run_name": run.model.name,
        "experiment_id": str(run.experiment_id),
        "user_id": run.user.get_username() if run.user else "",
        "status": run.status,
        "start_time": run.start_time,
        "artifact_uri": f"mlflow-artifacts:/{run.experiment_id}/{run.run_id}/artifacts",
        "lifecycle_stage": run.lifecycle_stage,
    }
    if run.end_time is not None:
        info["end_time"] = run.end_time
    return info


def run_json(run: Run, metrics: list[dict] | None = None) -> dict:
    """`metrics`: the run's latest metrics when already read (a search reads them at once)."""
    configuration = run.model.configuration or {}
    return {
        "info": run_info_json(run),
        "data": {
            "metrics": latest_metrics(run) if metrics is None else metrics,
            "params": [{"key": key, "value": str(value)} for key, value in configuration.items()],
            "tags": [{"key": key, "value": value} for key, value in run.tags.items()],
        },
        "inputs": {},
    }


def _ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def logged_model_json(logged) -> dict:
    return {
        "info": {
            "model_id": logged.model_id,
            "experiment_id": str(logged.experiment_id),
            "name": logged.name,
            "creation_timestamp_ms": _ms(logged.created_at),
            "last_updated_timestamp_ms": _ms(logged.updated_at),
            "artifact_uri": (
                f"mlflow-artifacts:/{logged.experiment_id}/{logged.run.run_id}"
                f"/artifacts/models/{logged.model_id}"
            ),
            "status": logged.status,
            "status_message": logged.status_message,
            "model_type": logged.model_type,
            "source_run_id": logged.run.run_id,
            "tags": [{"key": key, "value": value} for key, value in logged.tags.items()],
        },
        "data": {
            "params": [{"key": key, "value": value} for key, value in logged.params.items()],
            "metrics": [],
        },
    }
