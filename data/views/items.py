"""Item pages: the thumbnail grid of a dataset, uploads, subsets, one item, its image."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.views import form_saved
from data.forms import AssignSubsetForm, CocoImportForm, ImagesUploadForm, ZipImportForm
from data.models import AnnotationKind, Dataset, Item
from data.selectors import (
    item_neighbours,
    item_with_annotations,
    items_page,
    labels_with_counts,
    subset_counts,
)
from data.services import datasets as data_services
from data.views.datasets import get_dataset_for_user
from registry.models import Project, Role, Subset
from registry.views.helpers import render_project_page

SECTION = "datasets"
GRID_PAGE_SIZE = 48
MAX_GRID_PAGE_SIZE = 200
UPLOAD_FORMS = {"images": ImagesUploadForm, "zip": ZipImportForm, "coco": CocoImportForm}
# Only raster formats the browser shows as images; anything else is served as a download.
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff"}


def _render(request: HttpRequest, template: str, project: Project, context: dict) -> HttpResponse:
    return render_project_page(request, f"data/items/{template}", project, SECTION, context)


def _grid_url(dataset: Dataset) -> str:
    return reverse("data:dataset_detail", args=[dataset.project_id, dataset.id])


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _per_page(request: HttpRequest) -> int:
    asked = _int_or_none(request.GET.get("per_page"))
    return min(max(GRID_PAGE_SIZE if asked is None else asked, 1), MAX_GRID_PAGE_SIZE)


# --- The grid -------------------------------------------------------------


@login_required
def dataset_detail(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id)
    labels = list(labels_with_counts(dataset))
    label_id = _int_or_none(request.GET.get("label"))
    label = next((one for one in labels if one.id == label_id), None)
    subset = request.GET.get("subset") if request.GET.get("subset") in Subset.values else None
    page = items_page(
        dataset,
        request.GET.get("page"),
        _per_page(request),
        label_id=label.id if label else None,
        subset=subset,
    )
    context = {
        "dataset": dataset,
        "labels": labels,
        "label": label,
        "subset": subset,
        "subsets": Subset.choices,
        "subset_counts": subset_counts(dataset),
        "page": page,
        "is_boxes": dataset.annotation_kind == AnnotationKind.BOX,
    }
    return _render(request, "grid.html", project, context)


@login_required
@require_POST
def items_assign_subset(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    # Annotators may tag subsets: choosing what trains and what tests is curation
    # of the data, like annotating; it changes no file and no annotation.
    _, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.ANNOTATOR)
    form = AssignSubsetForm(request.POST)
    if form.is_valid():
        subset = form.cleaned_data["subset"]
        count = data_services.items_assign_subset(
            dataset=dataset, item_ids=form.cleaned_data["item"], subset=subset
        )
        noun = "item" if count == 1 else "items"
        messages.success(request, f"{count} {noun} moved to the {Subset(subset).label} subset.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_safe_next(request, _grid_url(dataset)))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """Back to the grid page the form was on (its filters and page), never off-site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- Uploads --------------------------------------------------------------


def upload_tabs(dataset: Dataset) -> dict[str, bool]:
    """Each way of adding items, and whether it suits this dataset's kind."""
    is_boxes = dataset.annotation_kind == AnnotationKind.BOX
    return {"images": True, "zip": not is_boxes, "coco": is_boxes}


@login_required
def dataset_upload(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.DEVELOPER)
    tabs = upload_tabs(dataset)
    tab = request.POST.get("upload") or request.GET.get("tab") or "images"
    tab = tab if tabs.get(tab) else "images"
    form = UPLOAD_FORMS[tab](request.POST or None, request.FILES or None, prefix=tab)
    counts = form_saved(request, form, lambda data: _import(tab, dataset, data, request.user))
    if counts is not None:
        messages.success(request, added_message(counts))
        return redirect("data:dataset_detail", project.id, dataset.id)
    context = {"dataset": dataset, "form": form, "tab": tab, "tabs": tabs}
    return _render(request, "upload.html", project, context)


def _import(tab: str, dataset: Dataset, data: dict, user) -> dict:
    """Call the service of the tab; every service is all-or-nothing."""
    if tab == "zip":
        return data_services.items_import_zip(dataset=dataset, archive=data["archive"], user=user)
    if tab == "coco":
        return data_services.items_import_coco(
            dataset=dataset, coco_file=data["coco_file"], images=data["images"], user=user
        )
    subset = data.get("subset") or Subset.NONE
    items = data_services.items_upload_images(
        dataset=dataset, files=data["files"], user=user, subset=subset
    )
    return {"items": len(items)}


def added_message(counts: dict) -> str:
    parts = []
    for key, noun in (("items", "item"), ("annotations", "annotation"), ("labels", "label")):
        count = counts.get(key) or 0
        if count or key == "items":
            parts.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return "Added " + ", ".join(parts) + "."


# --- One item -------------------------------------------------------------


@login_required
def item_detail(
    request: HttpRequest, project_id: int, dataset_id: int, item_id: int
) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id)
    item = item_with_annotations(dataset, item_id)
    if item is None:
        raise Http404("No such item.")
    previous_id, next_id = item_neighbours(item)
    context = {
        "dataset": dataset,
        "item": item,
        # Predictions get their own drawing (and toggle) with the review pages.
        "ground_truth": [one for one in item.all_annotations if one.model_id is None],
        "display_width": display_width(item),
        "previous_id": previous_id,
        "next_id": next_id,
    }
    return _render(request, "detail.html", project, context)


def display_width(item: Item, target: int = 512) -> int:
    """Small images (digits are 8x8) are scaled up by a whole factor so pixels stay square."""
    return item.width * max(1, target // max(item.width, item.height, 1))


@login_required
def item_image(
    request: HttpRequest, project_id: int, dataset_id: int, item_id: int
) -> FileResponse:
    _, dataset = get_dataset_for_user(request, project_id, dataset_id)
    item = get_object_or_404(Item, dataset=dataset, pk=item_id)
    try:
        # Through the storage, so local folders and S3 buckets are served alike.
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The image file is missing.") from None
    content_type = item.content_type if item.content_type in IMAGE_TYPES else None
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    # Members only: browsers may keep it, shared caches must not.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def item_delete(
    request: HttpRequest, project_id: int, dataset_id: int, item_id: int
) -> HttpResponse:
    _, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.DEVELOPER)
    item = get_object_or_404(Item, dataset=dataset, pk=item_id)
    name = item.name
    data_services.item_delete(item=item)
    messages.success(request, f"Item “{name}” deleted.")
    return redirect(_grid_url(dataset))
