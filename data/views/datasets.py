"""Dataset pages: list, create, edit, delete, split, COCO export.

The item grid (dataset_detail), uploads and item pages are in views/items.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from core.views import form_saved
from data.forms import DatasetForm, SplitForm
from data.models import Dataset
from data.selectors import dataset_totals, datasets_for_list, subset_counts
from data.services import datasets as data_services
from data.services.labels import PALETTE, label_colors_next
from data.views.downloads import coco_download
from registry.models import Project, Role
from registry.views.helpers import get_project_for_user, render_project_page

SECTION = "datasets"


def get_dataset_for_user(
    request: HttpRequest, project_id: int, dataset_id: int, role: str = Role.VIEWER
) -> tuple[Project, Dataset]:
    """The dataset through the user's project: 404 for outsiders or another project's dataset."""
    project = get_project_for_user(request, project_id, role)
    return project, get_object_or_404(Dataset, project=project, pk=dataset_id)


def _render(request: HttpRequest, template: str, project: Project, context: dict) -> HttpResponse:
    return render_project_page(request, f"data/datasets/{template}", project, SECTION, context)


@login_required
def dataset_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    return _render(request, "list.html", project, {"datasets": datasets_for_list(project)})


@login_required
def dataset_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.DEVELOPER)
    form = DatasetForm(request.POST or None)
    dataset = form_saved(
        request,
        form,
        lambda data: data_services.dataset_create(project=project, user=request.user, **data),
    )
    if dataset is not None:
        messages.success(request, f"Dataset “{dataset.name}” created. Now add some images.")
        return redirect("data:dataset_upload", project.id, dataset.id)
    return _render(request, "form.html", project, _form_context(form, None))


def _form_context(form: DatasetForm, dataset: Dataset | None) -> dict:
    """The blank row, and rows the JS adds, get a colour the map does not use yet."""
    used = [row["color"] for row in form.label_rows()]
    return {
        "form": form,
        "dataset": dataset,
        "next_color": label_colors_next(used, 1)[0],
        "palette": list(PALETTE),
    }


@login_required
def dataset_edit(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.DEVELOPER)
    initial = {
        "name": dataset.name,
        "description": dataset.description,
        "labels": list(dataset.labels.values("id", "name", "color")),
    }
    form = DatasetForm(request.POST or None, initial=initial, editing=True)
    saved = form_saved(
        request, form, lambda data: data_services.dataset_update(dataset=dataset, **data)
    )
    if saved is not None:
        messages.success(request, f"Dataset “{dataset.name}” saved.")
        return redirect("data:dataset_detail", project.id, dataset.id)
    return _render(request, "form.html", project, _form_context(form, dataset))


@login_required
def dataset_delete(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.DEVELOPER)
    if request.method == "POST":
        name = dataset.name
        data_services.dataset_delete(dataset=dataset)
        messages.success(request, f"Dataset “{name}” deleted.")
        return redirect("data:dataset_list", project.id)
    context = {
        "dataset": dataset,
        "totals": dataset_totals(dataset),
        "pipelines": list(dataset.pipelines.order_by("name")),
    }
    return _render(request, "delete.html", project, context)


@login_required
def dataset_split(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    project, dataset = get_dataset_for_user(request, project_id, dataset_id, Role.DEVELOPER)
    form = SplitForm(request.POST or None)
    counts = form_saved(
        request, form, lambda data: data_services.items_split(dataset=dataset, **data)
    )
    if counts is not None:
        summary = ", ".join(f"{subset} {count}" for subset, count in counts.items())
        messages.success(request, f"Split done: {summary}.")
        return redirect("data:dataset_detail", project.id, dataset.id)
    context = {"dataset": dataset, "form": form, "counts": subset_counts(dataset)}
    return _render(request, "split.html", project, context)


@login_required
def dataset_export_coco(request: HttpRequest, project_id: int, dataset_id: int) -> HttpResponse:
    # Reading is enough: an export changes nothing.
    _, dataset = get_dataset_for_user(request, project_id, dataset_id)
    return coco_download(dataset)
