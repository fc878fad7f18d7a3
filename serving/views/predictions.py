"""Predict with a deployed model from the item grid and the item page, watch the
predictions land on the thumbnails, and accept them as ground truth."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.views import flash_validation_error, pressed
from data.models import AnnotationKind, Dataset
from data.selectors import item_ids_for_grid, items_count
from data.views.datasets import get_dataset_for_user
from registry.models import ModelVersion, Project, Role, Subset
from serving import selectors as reads
from serving import services as deployment_services

# "All matching the filter" sends at most this many items in one job.
PREDICT_SELECTION_LIMIT = 1000
# The grid shows at most 200 thumbnails, so a layer never asks for more.
LAYER_ITEM_LIMIT = 200


def _ids(values) -> list[int]:
    """Integers from form values, each possibly a comma-separated list; junk is dropped."""
    found = []
    for value in values:
        found += [int(part) for part in str(value).split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(found))


def _back(request: HttpRequest, fallback: str, **params) -> str:
    """The page the form was on, never off-site, with `params` added to its query."""
    target = request.POST.get("next", "")
    if not (target and url_has_allowed_host_and_scheme(target, {request.get_host()})):
        target = fallback
    if params:
        extra = "&".join(f"{key}={value}" for key, value in params.items())
        target += ("&" if "?" in target else "?") + extra
    return target


def _grid_url(dataset: Dataset) -> str:
    return reverse("data:dataset_detail", args=[dataset.project_id, dataset.id])


def _get_predicting(request: HttpRequest, project_id: int, dataset_id: int):
    """The dataset for a member allowed to run predictions (403 for the others)."""
    project, dataset = get_dataset_for_user(request, project_id, dataset_id)
    if not deployment_services.may_predict(request.user, project):
        raise PermissionDenied("Running predictions is not allowed for your role here.")
    return project, dataset


def _chosen_model(request: HttpRequest, project: Project) -> ModelVersion | None:
    model_id = request.POST.get("model", "")
    if not model_id.isdigit():
        return None
    return ModelVersion.objects.filter(project=project, pk=int(model_id)).first()


def _queue(request: HttpRequest, model: ModelVersion, item_ids: list[int]):
    """Start the predict job; None (with the reason flashed) when it cannot start."""
    predict = partial(
        deployment_services.predict_items, model=model, item_ids=item_ids, user=request.user
    )
    noun = "item" if len(item_ids) == 1 else "items"
    what = f"Predicting {len(item_ids)} {noun} with {model.name}"
    return pressed(request, predict, lambda job: f"{what} as job #{job.id}.")


# --- Predict ----------------------------------------------------------------


def selected_item_ids(request: HttpRequest, dataset: Dataset) -> tuple[list[int], int]:
    """The items the form names and how many matched before the cap.

    scope "selected": the ticked boxes; "page": the page's items; "filter": every item
    the grid's label and subset filters match, the first PREDICT_SELECTION_LIMIT of them.
    """
    scope = request.POST.get("scope", "selected")
    if scope == "filter":
        label_id = next(iter(_ids([request.POST.get("filter_label", "")])), None)
        subset = request.POST.get("filter_subset") or None
        subset = subset if subset in Subset.values else None
        if label_id and not dataset.labels.filter(pk=label_id).exists():
            return [], 0
        ids = item_ids_for_grid(dataset, label_id, subset)
        return list(ids[:PREDICT_SELECTION_LIMIT]), items_count(dataset, label_id, subset)
    asked = _ids(request.POST.getlist("page_items" if scope == "page" else "item"))
    ids = list(reads.items_of_dataset(dataset, asked).values_list("id", flat=True))
    return ids[:PREDICT_SELECTION_LIMIT], len(ids)


@login_required
@require_POST
def items_predict(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = _get_predicting(request, project_id, dataset_id)
    model = _chosen_model(request, project)
    item_ids, matched = selected_item_ids(request, dataset)
    if model is None:
        messages.error(request, "Choose a deployed model to predict with.")
    elif not item_ids:
        messages.error(request, "Select at least one item to predict on.")
    else:
        if matched > len(item_ids):
            messages.warning(
                request,
                f"Only the first {len(item_ids)} of the {matched} matching items are sent: "
                "narrow the filter, or predict again on the next ones.",
            )
        job = _queue(request, model, item_ids)
        if job is not None:
            return redirect(_back(request, _grid_url(dataset), predict_job=job.id))
    return redirect(_back(request, _grid_url(dataset)))


@login_required
@require_POST
def item_predict(
    request: HttpRequest, project_id: int, dataset_id: int, item_id: int
) -> HttpResponse:
    project, dataset = _get_predicting(request, project_id, dataset_id)
    if not reads.items_of_dataset(dataset, [item_id]).exists():
        raise Http404("No such item.")
    item_url = reverse("data:item_detail", args=[project.id, dataset.id, item_id])
    model = _chosen_model(request, project)
    if model is None:
        messages.error(request, "Choose a deployed model to predict with.")
        return redirect(item_url)
    job = _queue(request, model, [item_id])
    return redirect(f"{item_url}?predict_job={job.id}" if job else item_url)


# --- Accept -----------------------------------------------------------------


@login_required
@require_POST
def predictions_accept_view(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    """Accept the predictions named (`annotation`), or those on the selected items (`item`),
    of one model when `accept_model` is given."""
    project, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.ANNOTATOR)
    annotation_ids = _ids(request.POST.getlist("annotation"))
    if annotation_ids:
        ids = reads.prediction_ids_of_dataset(dataset, annotation_ids)
    else:
        model_id = next(iter(_ids([request.POST.get("accept_model", "")])), None)
        item_ids = _ids(request.POST.getlist("item"))[:PREDICT_SELECTION_LIMIT]
        ids = reads.prediction_ids_for_items(dataset, item_ids, model_id)
    if not ids:
        messages.error(request, "No prediction to accept in the selection.")
    else:
        try:
            count = deployment_services.predictions_accept(
                project=project, annotation_ids=ids, user=request.user
            )
        except ValidationError as error:
            flash_validation_error(request, error)
        else:
            noun = "prediction" if count == 1 else "predictions"
            messages.success(request, f"{count} {noun} accepted as ground truth.")
    return redirect(_back(request, _grid_url(dataset)))


# --- The grid's prediction layer ----------------------------------------------


def shown_models(value: str | None) -> list[int] | None:
    """The grid's `predictions` parameter: empty for every model, "none" to hide them,
    or model ids separated by commas."""
    if not value:
        return None
    return [] if value == "none" else _ids([value])


def min_confidence(value: str | None) -> float | None:
    try:
        return min(max(float(value), 0.0), 1.0) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def predictions_layer(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    """The predictions over the grid's thumbnails, and the progress of a predict job.

    htmx loads it once with the page and, while `job` runs, every second: each
    thumbnail's layer comes back as an out-of-band swap, so predictions show as they
    land. Status 286 tells htmx to stop polling once the job has ended.
    """
    project, dataset = get_dataset_for_user(request, project_id, dataset_id)
    item_ids = _ids([request.GET.get("items", "")])[:LAYER_ITEM_LIMIT]
    items = list(reads.items_of_dataset(dataset, item_ids))
    models = shown_models(request.GET.get("predictions"))
    found = {}
    if models != []:
        found = reads.predictions_by_item(
            item_ids, models, min_confidence(request.GET.get("min_confidence"))
        )
    for item in items:
        item.predictions = found.get(item.id, [])
    job = reads.predict_job_for_project(project, request.GET.get("job"))
    context = {
        "project": project,
        "dataset": dataset,
        "items": items,
        "job": job,
        "hidden": models == [],
        "is_boxes": dataset.annotation_kind == AnnotationKind.BOX,
    }
    response = render(request, "serving/_grid_layer.html", context)
    if job is None or not job.is_active:
        response.status_code = 286
    return response
