"""Reads of the evaluation section: a fixed number of queries whatever the version count."""

from django.db.models import Count, F, Max, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from comparison.models import MetricSeries
from data.models import Dataset
from evaluation.models import Evaluation, EvaluationStatus
from registry.models import ModelVersion, Project

# What the charts need of an evaluation; its confusion matrix and PR curves stay unread.
EVALUATION_FIELDS = (
    "id",
    "name",
    "model_id",
    "dataset_id",
    "dataset__name",
    "subset",
    "kind",
    "summary",
    "per_label",
    "created_at",
)
MAX_TRAINING_NAMES = 200


def versions_in_project(*, project: Project, model_ids: tuple[int, ...]) -> list[ModelVersion]:
    """The versions in the order asked for; an id that is not the project's is a 404."""
    rows = (
        ModelVersion.objects.filter(project=project, pk__in=model_ids)
        .order_by()
        .only("id", "name", "parent_id", "created_at", "configuration", "project_id")
    )
    found = {version.id: version for version in rows}
    if len(found) != len(model_ids):
        raise Http404("No such model version in this project.")
    return [found[model_id] for model_id in model_ids]


def dataset_in_project(*, project: Project, dataset_id: int) -> Dataset:
    dataset = Dataset.objects.filter(project=project, pk=dataset_id).only("id", "name").first()
    if dataset is None:
        raise Http404("No such dataset in this project.")
    return dataset


def _succeeded(project: Project, model_ids: tuple[int, ...]) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(
        project=project, model_id__in=model_ids, status=EvaluationStatus.SUCCEEDED
    ).order_by()


def evaluated_datasets(*, project: Project, model_ids: tuple[int, ...]) -> list[dict]:
    """Datasets the versions were evaluated on: the one most versions share first, then
    the one evaluated on most recently."""
    rows = (
        _succeeded(project, model_ids)
        .values("dataset_id", "dataset__name")
        .annotate(versions=Count("model_id", distinct=True), newest=Max("created_at"))
    )
    ranked = sorted(rows, key=lambda row: (-row["versions"], -row["newest"].timestamp()))
    return [
        {"id": row["dataset_id"], "name": row["dataset__name"], "versions": row["versions"]}
        for row in ranked
    ]


def chosen_evaluations(
    *, project: Project, model_ids: tuple[int, ...], dataset_id: int | None
) -> dict[int, dict]:
    """Each version's newest succeeded evaluation (on `dataset_id` when given), by model id.

    One query for every version: a row number per model, newest first, kept where it is
    1. Window functions exist on SQLite (3.25+) and PostgreSQL, unlike DISTINCT ON.
    """
    rows = _succeeded(project, model_ids)
    if dataset_id is not None:
        rows = rows.filter(dataset_id=dataset_id)
    newest_first = Window(
        RowNumber(), partition_by=[F("model_id")], order_by=[F("created_at").desc(), F("id").desc()]
    )
    rows = rows.annotate(rank=newest_first).filter(rank=1).values(*EVALUATION_FIELDS)
    return {row["model_id"]: row for row in rows}


def training_last_values(*, model_ids: tuple[int, ...], name: str) -> dict[int, float | None]:
    rows = MetricSeries.objects.filter(model_id__in=model_ids, name=name).order_by()
    return dict(rows.values_list("model_id", "last_value"))


def training_metric_names(*, model_ids: tuple[int, ...]) -> list[str]:
    """Series names the versions logged, for the parallel-coordinates metric chooser."""
    names = (
        MetricSeries.objects.filter(model_id__in=model_ids)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return list(names[:MAX_TRAINING_NAMES])
