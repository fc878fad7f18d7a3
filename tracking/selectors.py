"""Reads of the MLflow-compatible API: every object through the user's memberships."""

from django.db.models import QuerySet

from comparison.models import MetricSeries
from comparison.selectors import series_points
from registry.access import membership_for
from registry.models import Artifact, Membership, Project, Role
from tracking import search
from tracking.errors import Denied, DoesNotExist, InvalidValue
from tracking.models import Experiment, Lifecycle, Run

READ_ROLE = Role.VIEWER
WRITE_ROLE = Role.DEVELOPER


def check_project_role(user, project: Project, role: str) -> Membership:
    return _check(user, project.id, role)


def project_of_experiment_name(user, full_name: str) -> tuple[Project, str]:
    """`Project/experiment` names its project; a bare name is the user's only project's."""
    if "/" in full_name:
        project_name, name = full_name.split("/", 1)
        member_of = Project.objects.filter(name=project_name, memberships__user=user)
        project = member_of.first()
        if project is None:
            raise DoesNotExist(f"No project named {project_name!r} that you are a member of.")
        return project, name
    projects = list(Project.objects.filter(memberships__user=user)[:2])
    if len(projects) != 1:
        raise InvalidValue(
            f"Name the project in the experiment's name, as 'project/{full_name}': "
            f"you are a member of {'several projects' if projects else 'no project'}."
        )
    return projects[0], full_name


def experiment_by_name(user, full_name: str) -> Experiment:
    project, name = project_of_experiment_name(user, full_name)
    experiment = Experiment.objects.filter(project=project, name=name).first()
    if experiment is None:
        raise DoesNotExist(f"Could not find experiment with name {full_name!r}.")
    return experiment


def experiment_for(user, experiment_id, role: str = Role.VIEWER) -> Experiment:
    """The experiment if the user may reach it with `role`; DoesNotExist for outsiders."""
    experiment = (
        Experiment.objects.select_related("project").filter(pk=_int_id(experiment_id)).first()
    )
    if experiment is None or membership_for(user, experiment.project_id) is None:
        raise DoesNotExist(f"No experiment with id {experiment_id!r}.")
    _check(user, experiment.project_id, role)
    return experiment


def experiments_visible(user, view_type: str = "ACTIVE_ONLY") -> QuerySet[Experiment]:
    rows = Experiment.objects.filter(project__memberships__user=user).select_related("project")
    return _by_lifecycle(rows, view_type).order_by("id")


def run_for(user, run_id: str, role: str = Role.VIEWER) -> Run:
    run = (
        Run.objects.select_related("experiment__project", "model").filter(run_id=run_id).first()
        if isinstance(run_id, str)
        else None
    )
    if run is None or membership_for(user, run.experiment.project_id) is None:
        raise DoesNotExist(f"Run with id={run_id!r} not found.")
    _check(user, run.experiment.project_id, role)
    return run


def run_of_model(model) -> Run | None:
    return Run.objects.select_related("experiment", "user").filter(model=model).first()


def metric_history(run: Run, key: str) -> list[dict]:
    """Every point of the run's metric `key`, by step: MLflow's Metric form."""
    series = MetricSeries.objects.filter(model=run.model, name=key).first()
    if series is None or not series.point_count:
        return []
    stored = series_points(series, max_points=max(int(series.point_count), 2))
    return [
        {"key": key, "value": value, "timestamp": int(round(timestamp * 1000)), "step": step}
        for step, value, timestamp in zip(
            stored["steps"], stored["values"], stored["timestamps"], strict=True
        )
    ]


def latest_metrics(run: Run) -> list[dict]:
    rows = MetricSeries.objects.filter(model=run.model, last_step__isnull=False).order_by("name")
    return [_latest(series) for series in rows]


def run_artifact(run: Run, path: str) -> Artifact:
    artifact = run.model.artifacts.filter(name=path).first()
    if artifact is None:
        raise DoesNotExist(f"No artifact {path!r} in run {run.run_id}.")
    return artifact


def run_artifact_listing(run: Run, folder: str) -> list[dict]:
    """The files and folders right inside `folder` ('' for the root), MLflow's FileInfo."""
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    rows = run.model.artifacts.filter(name__startswith=prefix).order_by("name")
    files, folders = [], set()
    for name, size in rows.values_list("name", "size"):
        rest = name[len(prefix) :]
        if "/" in rest:
            folders.add(rest.split("/", 1)[0])
        else:
            files.append({"path": rest, "is_dir": False, "file_size": size})
    listed = [{"path": name, "is_dir": True} for name in sorted(folders)]
    return listed + files


def runs_search(
    user, *, experiment_ids: list, filter_string: str = "", order_by=(), view_type="ACTIVE_ONLY"
) -> list[tuple[Run, list[dict]]]:
    """The matching runs, ordered, each with its latest metrics (MLflow's Metric form).

    Runs are filtered here rather than in SQL: their params and tags are JSON and their
    metrics a summary row per series, and an experiment holds thousands, not millions.
    """
    clauses, ordering = search.parse_filter(filter_string), search.parse_order_by(order_by)
    experiments = [experiment_for(user, experiment_id) for experiment_id in experiment_ids]
    runs = _by_lifecycle(Run.objects.filter(experiment__in=experiments), view_type)
    runs = list(runs.select_related("model", "user", "experiment"))
    metrics = _latest_metrics_of([run.model_id for run in runs])
    found = []
    for run in runs:
        values = _search_values(run, metrics.get(run.model_id, []))
        if search.matches(values, clauses):
            found.append((run, values))
    for entity, key, descending in reversed([*ordering, ("attributes", "start_time", True)]):
        found.sort(key=lambda pair: search.sort_key(pair[1], entity, key), reverse=descending)
    return [(run, metrics.get(run.model_id, [])) for run, _ in found]


def _latest_metrics_of(model_ids: list[int]) -> dict[int, list[dict]]:
    rows = MetricSeries.objects.filter(model_id__in=model_ids, last_step__isnull=False)
    found: dict[int, list[dict]] = {}
    for series in rows.order_by("name"):
        found.setdefault(series.model_id, []).append(_latest(series))
    return found


def _latest(series: MetricSeries) -> dict:
    return {
        "key": series.name,
        "value": series.last_value,
        "timestamp": int(round((series.last_timestamp or 0) * 1000)),
        "step": series.last_step,
    }


def _search_values(run: Run, metrics: list[dict]) -> dict:
    return {
        "metrics": {metric["key"]: metric["value"] for metric in metrics},
        "params": {key: str(value) for key, value in (run.model.configuration or {}).items()},
        "tags": dict(run.tags),
        "attributes": {
            "run_id": run.run_id,
            "run_name": run.model.name,
            "status": run.status,
            "user_id": run.user.get_username() if run.user else "",
            "artifact_uri": f"mlflow-artifacts:/{run.experiment_id}/{run.run_id}/artifacts",
            "lifecycle_stage": run.lifecycle_stage,
            "start_time": run.start_time,
            "end_time": run.end_time,
        },
    }


def _by_lifecycle(rows: QuerySet, view_type: str) -> QuerySet:
    if view_type == "DELETED_ONLY":
        return rows.filter(lifecycle_stage=Lifecycle.DELETED)
    if view_type == "ALL":
        return rows
    return rows.filter(lifecycle_stage=Lifecycle.ACTIVE)


def _check(user, project_id: int, role: str) -> Membership:
    membership = membership_for(user, project_id)
    if not membership.allows(role):
        raise Denied(f"This needs the {role} role or above in the project.")
    return membership


def _int_id(value) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if number > 0 else None
