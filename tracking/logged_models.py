"""MLflow 3's logged models, and the records autologging adds to a run (log-inputs,
outputs, log-model): stored as sent, so an autologged run never fails on them."""

import json

from django.db import transaction

from tracking.errors import DoesNotExist, InvalidValue
from tracking.models import Experiment, Lifecycle, LoggedModel, Run
from tracking.selectors import experiment_for
from tracking.services import MAX_PARAMS_TAGS_PER_BATCH, checked_param, checked_tags, run_locked

STATUSES = ("LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED")
MAX_RECORDS = 1000  # inputs or outputs kept per run
MAX_RECORD_BYTES = 64 * 1024


def logged_model_create(
    *, experiment: Experiment, run: Run | None, name: str, model_type: str, tags, params
) -> LoggedModel:
    if run is None:
        raise InvalidValue("Log a model inside a run (source_run_id): its files go to the run.")
    if run.experiment_id != experiment.pk:
        raise InvalidValue("The source run belongs to another experiment.")
    return LoggedModel.objects.create(
        experiment=experiment,
        run=run,
        name=str(name or "model")[:250],
        model_type=str(model_type or "")[:100],
        tags=checked_tags(tags or []),
        params=dict(checked_param(param) for param in _limited(params or [], "params")),
    )


def logged_model_finalize(*, logged_model: LoggedModel, status: str) -> LoggedModel:
    if status not in STATUSES:
        raise InvalidValue(f"status must be one of {', '.join(STATUSES)}.")
    logged_model.status = status
    logged_model.save(update_fields=["status", "updated_at"])
    return logged_model


def logged_model_set_tags(*, logged_model: LoggedModel, tags) -> None:
    logged_model.tags = {**logged_model.tags, **checked_tags(_limited(tags or [], "tags"))}
    logged_model.save(update_fields=["tags", "updated_at"])


def logged_model_delete_tag(*, logged_model: LoggedModel, key: str) -> None:
    logged_model.tags.pop(key, None)
    logged_model.save(update_fields=["tags", "updated_at"])


def logged_model_log_params(*, logged_model: LoggedModel, params) -> None:
    new = dict(checked_param(param) for param in _limited(params or [], "params"))
    logged_model.params = {**logged_model.params, **new}
    logged_model.save(update_fields=["params", "updated_at"])


def logged_model_delete(*, logged_model: LoggedModel) -> None:
    logged_model.lifecycle_stage = Lifecycle.DELETED
    logged_model.save(update_fields=["lifecycle_stage", "updated_at"])


@transaction.atomic
def run_record(*, run: Run, field: str, records: list) -> None:
    """Append what log-inputs (`inputs`) or outputs (`outputs`) sent, as sent."""
    if not isinstance(records, list):
        raise InvalidValue(f"{field} is a list.")
    for record in records:
        if len(json.dumps(record)) > MAX_RECORD_BYTES:
            raise InvalidValue(f"An entry of {field} is over {MAX_RECORD_BYTES // 1024} KB.")
    run = run_locked(run)
    kept = [*getattr(run, field), *records][-MAX_RECORDS:]
    setattr(run, field, kept)
    run.save(update_fields=[field])


def run_log_model_history(*, run: Run, model_json: str) -> None:
    """runs/log-model (MLflow 2's form): kept in the `mlflow.log-model.history` tag."""
    with transaction.atomic():
        run = run_locked(run)
        history = json.loads(run.tags.get("mlflow.log-model.history", "[]") or "[]")
        history.append(json.loads(model_json) if isinstance(model_json, str) else model_json)
        run.tags["mlflow.log-model.history"] = json.dumps(history[-100:])
        run.save(update_fields=["tags"])


def logged_model_for(user, model_id: str, role: str) -> LoggedModel:
    logged = LoggedModel.objects.select_related("run", "experiment").filter(model_id=str(model_id))
    found = logged.first()
    if found is None:
        raise DoesNotExist(f"Logged model with ID {model_id!r} not found.")
    experiment_for(user, found.experiment_id, role)  # outsiders: not found either
    return found


def logged_models_of(experiment_ids: list, user) -> list[LoggedModel]:
    experiments = [experiment_for(user, experiment_id) for experiment_id in experiment_ids]
    rows = LoggedModel.objects.filter(experiment__in=experiments, lifecycle_stage="active")
    return list(rows.select_related("run"))


def _limited(rows, what: str) -> list:
    if not isinstance(rows, list):
        raise InvalidValue(f"{what} is a list.")
    if len(rows) > MAX_PARAMS_TAGS_PER_BATCH:
        raise InvalidValue(f"At most {MAX_PARAMS_TAGS_PER_BATCH} {what} at once.")
    return rows
