"""Writes of the MLflow-compatible API, each all or nothing.

A run is a model version: params go to its configuration (immutable once logged,
as in MLflow), metrics to its series (steps as x, the client's timestamps kept),
tags to the run (`mlflow.*` ones too) and, for the user's own short tags, to the
version's tags as `key:value`. The run's status moves the version's status.
"""

import math
import time

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import ModelStatus, ModelVersion, Package, Project
from registry.models.packages import EXTERNAL_ADAPTER
from registry.services.artifacts import artifact_upload
from registry.services.models import model_create, model_set_status, model_set_tags
from registry.services.packages import package_create
from tracking.errors import AlreadyExists, DoesNotExist, InvalidValue
from tracking.models import Experiment, Run, RunStatus

# MLflow's own limits (mlflow/utils/validation.py).
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_TAGS_PER_BATCH = 100
MAX_PARAM_VALUE_LENGTH = 6000
MAX_TAG_VALUE_LENGTH = 8000
MAX_KEY_LENGTH = 250
EXTERNAL_PACKAGE = "external"
PACKAGE_TAG = "modelyard.package"
STATUS_OF_RUN = {
    RunStatus.RUNNING: ModelStatus.TRAINING,
    RunStatus.SCHEDULED: ModelStatus.QUEUED,
    RunStatus.FINISHED: ModelStatus.TRAINED,
    RunStatus.FAILED: ModelStatus.FAILED,
    RunStatus.KILLED: ModelStatus.FAILED,
}


def experiment_create(*, project: Project, name: str, user, tags: list | None = None) -> Experiment:
    name = _checked_experiment_name(name)
    if Experiment.objects.filter(project=project, name=name).exists():
        raise AlreadyExists(f"Experiment {project.name}/{name!r} already exists.")
    return Experiment.objects.create(
        project=project, name=name, created_by=user, tags=checked_tags(tags or [])
    )


@transaction.atomic
def run_create(
    *, experiment: Experiment, user, run_name: str = "", start_time=None, tags: list | None = None
) -> Run:
    tags = checked_tags(tags or [])
    run_name = run_name or tags.get("mlflow.runName") or ""
    model = model_create(
        project=experiment.project,
        package=_package_for(experiment.project, tags.get(PACKAGE_TAG), user),
        name=_free_version_name(experiment, run_name),
        user=user,
        merge_package_defaults=False,
        status=ModelStatus.TRAINING,
    )
    tags["mlflow.runName"] = model.name
    run = Run.objects.create(
        experiment=experiment,
        model=model,
        user=user,
        start_time=_millis(start_time, "start_time") or _now_ms(),
        tags=tags,
    )
    _mirror_tags(run)
    return run


@transaction.atomic
def run_update(*, run: Run, user, status=None, end_time=None, run_name=None) -> Run:
    run = run_locked(run)
    if status:
        if status not in RunStatus.values:
            raise InvalidValue(f"status must be one of {', '.join(RunStatus.values)}.")
        run.status = status
        reason = f"MLflow run {status.lower()}"
        model_set_status(model=run.model, status=STATUS_OF_RUN[status], user=user, reason=reason)
    if end_time is not None:
        run.end_time = _millis(end_time, "end_time")
    if run_name:
        _rename(run, run_name)
    run.save()
    return run


def run_set_lifecycle(*, run: Run, stage: str) -> Run:
    Run.objects.filter(pk=run.pk).update(lifecycle_stage=stage)
    run.lifecycle_stage = stage
    return run


@transaction.atomic
def run_log_batch(*, run: Run, user, metrics=(), params=(), tags=()) -> None:
    """MLflow's log-batch: everything checked first, then written in one transaction."""
    _check_batch_sizes(metrics, params, tags)
    points = _as_points(metrics)
    params = [checked_param(param) for param in params]
    tags = [checked_tag(tag) for tag in tags]
    if params or tags:  # metrics alone need no lock on the run: metrics_log locks its series
        run = run_locked(run)
    if params:
        _log_params(run, params)
    if tags:
        _set_tags(run, dict(tags))
    if points:
        _log_points(run, points, metrics)


def _as_points(metrics) -> list[dict]:
    """MLflow's metrics as metrics_log points, renamed only: metrics_log checks them a
    column at a time, far faster than one by one here (a batch is 1,000 of them)."""
    try:
        return [
            {
                "name": metric["key"],
                "step": metric.get("step") or 0,
                "value": metric["value"],
                "timestamp": None
                if metric.get("timestamp") is None
                else metric["timestamp"] / 1000,
            }
            for metric in metrics
        ]
    except (TypeError, KeyError, AttributeError):  # the checks one by one say what is wrong
        return [_metric_point(metric) for metric in metrics]


def _log_points(run: Run, points: list[dict], metrics) -> None:
    from comparison.services import metrics_log

    try:
        metrics_log(model=run.model, points=points)
    except ValidationError as refused:
        for metric in metrics:
            _metric_point(metric)  # raises InvalidValue in MLflow's words for the bad one
        raise InvalidValue("; ".join(refused.messages)) from None


def run_log_artifact(*, run: Run, file, path: str, user):
    """A file of the run at its relative path, in place of one logged there before."""
    return artifact_upload(
        model=run.model, file=file, user=user, name=path, replace=True, folders=True
    )


def run_delete_tag(*, run: Run, key: str) -> None:
    with transaction.atomic():
        run = run_locked(run)
        if key not in run.tags:
            raise DoesNotExist(f"No tag with name: {key!r} in run with id {run.run_id}.")
        del run.tags[key]
        run.save(update_fields=["tags"])
        _mirror_tags(run)


# --- Checking what the client sent ---------------------------------------------


def _check_batch_sizes(metrics, params, tags) -> None:
    for name, rows, limit in (
        ("metrics", metrics, MAX_METRICS_PER_BATCH),
        ("params", params, MAX_PARAMS_TAGS_PER_BATCH),
        ("tags", tags, MAX_PARAMS_TAGS_PER_BATCH),
    ):
        if not isinstance(rows, list | tuple):
            raise InvalidValue(f"{name} is a list.")
        if len(rows) > limit:
            raise InvalidValue(
                f"A batch logged {len(rows)} {name}; MLflow allows at most {limit} per batch."
            )


def _metric_point(metric) -> dict:
    key = _key(metric, "metric")
    value, step = metric.get("value"), metric.get("step", 0) or 0
    if isinstance(value, str):  # proto JSON writes NaN and infinities as strings
        value = _float_or_none(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValue(f"Metric {key!r}: the value must be a finite number, got {value!r}.")
    step = _whole(step, f"Metric {key!r}: step")
    timestamp = _millis(metric.get("timestamp"), f"Metric {key!r}: timestamp")
    point = {"name": key, "step": step, "value": float(value)}
    if timestamp is not None:
        point["timestamp"] = timestamp / 1000
    return point


def checked_param(param) -> tuple[str, str]:
    return _key_and_value(param, "param", MAX_PARAM_VALUE_LENGTH)


def checked_tag(tag) -> tuple[str, str]:
    return _key_and_value(tag, "tag", MAX_TAG_VALUE_LENGTH)


def _key_and_value(row, noun: str, longest: int) -> tuple[str, str]:
    key = _key(row, noun)
    value = "" if row.get("value") is None else str(row["value"])
    if len(value) > longest:
        raise InvalidValue(
            f"{noun.capitalize()} {key!r}: the value is {len(value)} characters; at most {longest}."
        )
    return key, value


def _key(row, noun: str) -> str:
    if not isinstance(row, dict):
        raise InvalidValue(f"Each {noun} is an object with a key and a value.")
    key = row.get("key")
    if not isinstance(key, str) or not key.strip():
        raise InvalidValue(f"A {noun} needs a key (a non-empty string).")
    if len(key) > MAX_KEY_LENGTH or not key.isprintable() or "," in key:
        raise InvalidValue(
            f"{noun.capitalize()} key {key[:60]!r}: at most {MAX_KEY_LENGTH} printable "
            "characters, no commas."
        )
    return key


def _whole(value, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(f"{what} must be a whole number, got {value!r}.") from None
    if number != float(value) or not 0 <= number < 2**63:
        raise InvalidValue(f"{what} must be a whole number from 0, got {value!r}.")
    return number


def _millis(value, what: str) -> int | None:
    if value in (None, ""):
        return None
    return _whole(value, what)


def _float_or_none(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def checked_tags(tags: list) -> dict[str, str]:
    if not isinstance(tags, list):
        raise InvalidValue("tags is a list of {key, value} objects.")
    return dict(checked_tag(tag) for tag in tags)


def _checked_experiment_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidValue("An experiment needs a name.")
    if len(name) > 200:
        raise InvalidValue("An experiment's name is at most 200 characters.")
    return name.strip()


# --- Writing ---------------------------------------------------------------------


def run_locked(run: Run) -> Run:
    locked = Run.objects.select_for_update().select_related("model").get(pk=run.pk)
    locked.experiment = run.experiment
    return locked


def _log_params(run: Run, params: list[tuple[str, str]]) -> None:
    model = ModelVersion.objects.select_for_update().get(pk=run.model_id)
    configuration = dict(model.configuration)
    for key, value in params:
        logged = configuration.get(key)
        if logged is not None and str(logged) != value:
            raise InvalidValue(
                f"Changing param values is not allowed. Param with key={key!r} was already "
                f"logged with value={logged!r} for run ID={run.run_id!r}. Attempted logging "
                f"new value {value!r}."
            )
        configuration[key] = value
    model.configuration = configuration
    model.save(update_fields=["configuration", "updated_at"])
    run.model = model


def _set_tags(run: Run, tags: dict[str, str]) -> None:
    run.tags = {**run.tags, **tags}
    if "mlflow.runName" in tags:
        _rename(run, tags["mlflow.runName"])
    if "mlflow.note.content" in tags:
        ModelVersion.objects.filter(pk=run.model_id).update(description=tags["mlflow.note.content"])
    run.save(update_fields=["tags"])
    _mirror_tags(run)


def _mirror_tags(run: Run) -> None:
    """The user's own short tags as version tags `key:value`; the version's others stay."""
    own = sorted(
        f"{key}:{value}"
        for key, value in run.tags.items()
        if not key.startswith("mlflow.") and len(f"{key}:{value}") <= 50
    )
    before = set(run.mirrored_tags)
    kept = [name for name in run.model.tags.values_list("name", flat=True) if name not in before]
    model_set_tags(model=run.model, tags=[*kept, *own])
    Run.objects.filter(pk=run.pk).update(mirrored_tags=own)
    run.mirrored_tags = own


def _rename(run: Run, name: str) -> None:
    model = run.model
    if name == model.name:
        return
    model.name = _free_version_name(run.experiment, name, exclude=model.pk)
    model.save(update_fields=["name", "updated_at"])
    run.tags["mlflow.runName"] = model.name


def _free_version_name(experiment: Experiment, wanted: str, exclude: int | None = None) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`...: version names are unique in a project."""
    base = (wanted or "").strip()[:90] or f"{experiment.name[:60]}-run"
    taken = ModelVersion.objects.filter(project=experiment.project)
    if exclude:
        taken = taken.exclude(pk=exclude)
    names = set(taken.filter(name__startswith=base).values_list("name", flat=True))
    if base not in names:
        return base
    return next(f"{base}-{n}" for n in range(2, len(names) + 3) if f"{base}-{n}" not in names)


def _package_for(project: Project, name: str | None, user) -> Package:
    if name:
        package = (
            Package.objects.filter(project=project, name=name).first()
            or Package.objects.filter(project__isnull=True, name=name).first()
        )
        if package is None:
            raise InvalidValue(f"Tag {PACKAGE_TAG}: no package named {name!r} in the project.")
        return package
    existing = Package.objects.filter(project=project, name=EXTERNAL_PACKAGE).first()
    return existing or package_create(
        project=project,
        name=EXTERNAL_PACKAGE,
        adapter=EXTERNAL_ADAPTER,
        output_type="class",
        user=user,
        description="Versions logged from outside Modelyard through the MLflow-compatible API.",
    )


def _now_ms() -> int:
    return int(time.time() * 1000)
