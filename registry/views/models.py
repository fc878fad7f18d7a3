"""Model-version pages: list, detail with lineage, create, edit, clone, delete."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.views import form_saved, paginate
from registry.forms.models import ArtifactUploadForm, CloneForm, ModelFilterForm, ModelForm
from registry.models import ModelVersion, Project, Role
from registry.selectors.models import (
    DEFAULT_MODEL_ORDER,
    MODEL_ORDERINGS,
    flatten_configuration,
    model_ancestors,
    model_children,
    model_list_for_project,
    packages_for_project,
    tag_names_for_project,
)
from registry.services.models import (
    BUSY_STATUSES,
    model_clone,
    model_create,
    model_delete,
    model_delete_summary,
    model_update,
)
from registry.views.helpers import get_project_for_user, render_project_page

# The list's columns in order; the sortable ones are the keys of MODEL_ORDERINGS.
LIST_COLUMNS = (
    ("name", "Name"),
    ("package", "Package"),
    ("status", "Status"),
    ("tags", "Tags"),
    ("dataset", "Dataset"),
    ("parent", "Parent"),
    ("created", "Created"),
)


def get_model_for_user(
    request: HttpRequest,
    project_id: int,
    model_id: int,
    role: str = Role.VIEWER,
    public_ok: bool = False,
) -> tuple[Project, ModelVersion]:
    """The project's model; with `public_ok` also a public pretrained one (read or clone only)."""
    project = get_project_for_user(request, project_id, role)
    models = ModelVersion.objects.select_related("package", "dataset", "parent", "created_by")
    model = models.filter(pk=model_id).first()
    in_scope = model is not None and (
        model.project_id == project.id or (public_ok and model.is_public)
    )
    if not in_scope:
        raise Http404("No such model version.")
    return project, model


def list_columns(order: str) -> list[dict]:
    """Header links: a click sorts by the column, a second click reverses it."""
    return [
        {
            "label": label,
            "sortable": key in MODEL_ORDERINGS,
            "next": f"-{key}" if order == key else key,
            "aria_sort": {key: "ascending", f"-{key}": "descending"}.get(order),
        }
        for key, label in LIST_COLUMNS
    ]


@login_required
def model_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    packages = packages_for_project(project)
    form = ModelFilterForm(request.GET, packages=packages, tags=tag_names_for_project(project))
    filters = form.filters()
    page = paginate(request, model_list_for_project(project=project, **filters))
    # The form only lets known sort keys through; anything else is the default order.
    order = filters["order"] or DEFAULT_MODEL_ORDER
    context = {
        "form": form,
        "page": page,
        "columns": list_columns(order),
        "filtered": any(value for key, value in filters.items() if key != "order"),
    }
    return render_project_page(request, "registry/models/list.html", project, "models", context)


@login_required
def model_detail(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, public_ok=True)
    context = {
        "model": model,
        "tags": model.tags.all(),
        "history": model.status_changes.select_related("changed_by"),
        "configuration_rows": flatten_configuration(model.configuration),
        "artifacts": model.artifacts.all(),
        "ancestors": model_ancestors(model),
        "children": model_children(model, project),
        "upload_form": ArtifactUploadForm(),
    }
    return render_project_page(request, "registry/models/detail.html", project, "models", context)


def _model_form(request: HttpRequest, project: Project, creating: bool, **kwargs) -> ModelForm:
    return ModelForm(
        request.POST or None,
        packages=packages_for_project(project) if creating else None,
        datasets=project.datasets.order_by("name"),
        **kwargs,
    )


def _render_form(request, project, template: str, context: dict) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render_project_page(request, template, project, "models", context, status=status)


@login_required
def model_create_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.DEVELOPER)
    form = _model_form(request, project, creating=True, initial=request.GET.dict())
    model = form_saved(
        request, form, lambda data: model_create(project=project, user=request.user, **data)
    )
    if model is not None:
        messages.success(request, f"Model version {model.name} created.")
        return redirect("registry:model_detail", project.id, model.id)
    # The form shows the chosen package's defaults, so overrides can be typed knowingly.
    defaults = {
        str(package.id): package.default_configuration
        for package in form.fields["package"].queryset
    }
    context = {"form": form, "package_defaults": defaults}
    return _render_form(request, project, "registry/models/form.html", context)


def _edit_initial(model: ModelVersion) -> dict:
    fields = ("name", "description", "configuration", "labels", "dataset", "queue")
    initial = {field: getattr(model, field) for field in fields}
    initial.update(
        train_subset=model.train_subset,
        validation_subset=model.validation_subset,
        test_subset=model.test_subset,
        tags=list(model.tags.values_list("name", flat=True)),
    )
    return initial


@login_required
def model_edit(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    form = _model_form(request, project, creating=False, initial=_edit_initial(model))
    if form_saved(request, form, lambda data: _model_update(model, request.user, data)) is not None:
        messages.success(request, "Model version saved.")
        return redirect("registry:model_detail", project.id, model.id)
    context = {"form": form, "model": model}
    return _render_form(request, project, "registry/models/form.html", context)


def _model_update(model: ModelVersion, user, data: dict) -> ModelVersion:
    fields = dict(data)
    # Tags are replaced as typed: an empty field removes them all.
    tags = fields.pop("tags") or []
    return model_update(model=model, user=user, tags=tags, **fields)


@login_required
def model_clone_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, source = get_model_for_user(
        request, project_id, model_id, Role.DEVELOPER, public_ok=True
    )
    initial = {"name": f"{source.name} (clone)"[:100]}
    form = CloneForm(
        request.POST or None, initial=initial, datasets=project.datasets.order_by("name")
    )
    clone = form_saved(
        request,
        form,
        lambda data: model_clone(source=source, project=project, user=request.user, **data),
    )
    if clone is not None:
        messages.success(request, f"Cloned {source.name} into {clone.name}.")
        return redirect("registry:model_detail", project.id, clone.id)
    context = {
        "form": form,
        "model": source,
        "configuration_json": json.dumps(source.configuration, indent=2),
    }
    return _render_form(request, project, "registry/models/clone.html", context)


@login_required
def model_delete_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    if request.method == "POST":
        try:
            model_delete(model=model)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("registry:model_detail", project.id, model.id)
        messages.success(request, f"Model version {model.name} deleted.")
        return redirect("registry:model_list", project.id)
    context = {
        "model": model,
        "summary": model_delete_summary(model=model),
        "busy": model.status in BUSY_STATUSES,
    }
    return render_project_page(request, "registry/models/delete.html", project, "models", context)
