"""Reads on deployments and on the predictions models made on items: what the deploy and
predict controls of the model, grid and item pages show."""

from collections import defaultdict

from django.db.models import QuerySet

from data.models import Annotation, Dataset, Item
from jobs.models import Job, JobKind
from registry.models import ModelVersion, Project
from serving.models import LIVE_STATES, Deployment


def deployments_live(*, project: Project) -> QuerySet[Deployment]:
    """The project's live deployments (starting or ready), newest first, with their model."""
    return Deployment.objects.filter(project=project, state__in=LIVE_STATES).select_related(
        "model__package", "created_by"
    )


def deployment_live_of(*, model: ModelVersion) -> Deployment | None:
    return Deployment.objects.filter(model=model, state__in=LIVE_STATES).first()


def deployments_of_model(*, model: ModelVersion) -> QuerySet[Deployment]:
    """Every deployment of the model, live or ended, newest first."""
    return Deployment.objects.filter(model=model).select_related("created_by", "stopped_by")


def predictions_of_items(
    *, item_ids: list[int], model: ModelVersion | None = None
) -> dict[int, dict[int, list[Annotation]]]:
    """{item id: {model id: [predictions, most confident first]}} in one query."""
    rows = Annotation.objects.filter(item_id__in=item_ids, model__isnull=False)
    if model is not None:
        rows = rows.filter(model=model)
    found: dict[int, dict[int, list[Annotation]]] = defaultdict(lambda: defaultdict(list))
    for row in rows.select_related("label").order_by("item_id", "model_id", "-confidence", "id"):
        found[row.item_id][row.model_id].append(row)
    return {item_id: dict(by_model) for item_id, by_model in found.items()}


DEPLOYMENT_HISTORY_LIMIT = 20


def live_deployments(project: Project) -> QuerySet[Deployment]:
    """The project's starting or ready deployments, with their models, by model name."""
    return (
        Deployment.objects.filter(project=project, state__in=LIVE_STATES)
        .select_related("model")
        .order_by("model__name", "id")
    )


def predicting_models(project: Project) -> QuerySet[ModelVersion]:
    """Every model of the project that was ever deployed, live or not, by name: the only
    ones whose predictions can be on items (predicting needs a deployment)."""
    deployed = Deployment.objects.filter(project=project).values("model_id")
    return ModelVersion.objects.filter(id__in=deployed).order_by("name", "id")


def live_model_ids(project: Project) -> set[int]:
    return set(live_deployments(project).values_list("model_id", flat=True))


def deployment_history(model: ModelVersion) -> list[Deployment]:
    """The model's latest deployments, newest first, with who started and stopped them."""
    rows = model.deployments.select_related("created_by", "stopped_by")
    return list(rows[:DEPLOYMENT_HISTORY_LIMIT])


def predictions_by_item(
    item_ids: list[int], model_ids: list[int] | None = None, min_confidence: float | None = None
) -> dict[int, list[Annotation]]:
    """The predictions on these items (one query), grouped by item, best first."""
    rows = Annotation.objects.filter(item_id__in=item_ids, model__isnull=False)
    if model_ids is not None:
        rows = rows.filter(model_id__in=model_ids)
    if min_confidence is not None:
        rows = rows.filter(confidence__gte=min_confidence)
    grouped: dict[int, list[Annotation]] = defaultdict(list)
    for row in rows.select_related("label", "model").order_by("item_id", "-confidence", "id"):
        grouped[row.item_id].append(row)
    return grouped


def items_of_dataset(dataset: Dataset, item_ids: list[int]) -> QuerySet[Item]:
    return Item.objects.filter(dataset=dataset, id__in=item_ids).order_by("id")


def prediction_ids_for_items(
    dataset: Dataset, item_ids: list[int], model_id: int | None = None
) -> list[int]:
    """Ids of the predictions on these items of the dataset, of one model if given."""
    rows = Annotation.objects.filter(
        item__dataset=dataset, item_id__in=item_ids, model__isnull=False
    )
    if model_id is not None:
        rows = rows.filter(model_id=model_id)
    return list(rows.values_list("id", flat=True))


def prediction_ids_of_dataset(dataset: Dataset, annotation_ids: list[int]) -> list[int]:
    """The subset of these annotation ids that are predictions on the dataset's items."""
    rows = Annotation.objects.filter(
        id__in=annotation_ids, item__dataset=dataset, model__isnull=False
    )
    return list(rows.values_list("id", flat=True))


def predict_job_for_project(project: Project, job_id) -> Job | None:
    if not str(job_id or "").isdigit():
        return None
    return Job.objects.filter(project=project, kind=JobKind.PREDICT, pk=int(job_id)).first()
