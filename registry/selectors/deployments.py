"""Reads on deployments and on the predictions models made on items."""

from collections import defaultdict

from django.db.models import QuerySet

from registry.models import LIVE_STATES, Annotation, Deployment, ModelVersion, Project


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
