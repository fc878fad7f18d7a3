"""Small helpers every page view uses."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from registry.access import project_for_user, role_for
from registry.models import Project, Role


def get_project_for_user(request: HttpRequest, project_id: int, role: str = Role.VIEWER) -> Project:
    """The project if the user is a member with `role` or above; 404 / 403 otherwise."""
    return project_for_user(request.user, project_id, role)


def render_project_page(
    request: HttpRequest,
    template: str,
    project: Project,
    section: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a page inside a project: adds `project`, the user's `role` and the nav `section`."""
    full = {"project": project, "role": role_for(request.user, project), "section": section}
    full.update(context or {})
    return render(request, template, full, status=status)


def paginate(request: HttpRequest, queryset, per_page: int = 50, max_per_page: int = 200) -> Page:
    with contextlib.suppress(ValueError):
        per_page = min(max(int(request.GET.get("per_page", per_page)), 1), max_per_page)
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form, under the field it names if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_validation_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def coco_download(dataset) -> StreamingHttpResponse:
    """The dataset as a COCO JSON attachment, streamed: a million items never sit in memory."""
    from registry.services.exports import dataset_export_coco

    response = StreamingHttpResponse(dataset_export_coco(dataset), content_type="application/json")
    filename = f"{slugify(dataset.name) or 'dataset'}-coco.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
