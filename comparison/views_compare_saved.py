"""Named comparison views of a project: save the current link, list, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from comparison.compare.saved_views import (
    can_delete,
    saved_view_create,
    saved_view_delete,
    saved_views_for_project,
)
from comparison.views_compare import page_url
from core.views import flash_validation_error, paginate
from registry.views.helpers import get_project_for_user, render_project_page


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_list(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: every saved view of the project. POST (any member): save `query` as `name`."""
    project = get_project_for_user(request, project_id)
    if request.method == "POST":
        return _create(request, project)
    page = paginate(request, saved_views_for_project(project))
    rows = [{"view": view, "can_delete": can_delete(view, request.user)} for view in page]
    context = {"page": page, "rows": rows}
    return render_project_page(
        request, "comparison/compare/saved_views.html", project, "compare", context
    )


def _create(request: HttpRequest, project) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        view = saved_view_create(
            project=project, user=request.user, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        flash_validation_error(request, error)
        return redirect(page_url(project, QueryDict(query)))
    messages.success(request, f"Saved the view {view.name}.")
    return redirect(page_url(project, QueryDict(view.query)))


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, project_id: int, view_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    view = get_object_or_404(saved_views_for_project(project), pk=view_id)
    saved_view_delete(view=view, user=request.user)
    messages.success(request, f"Deleted the view {view.name}.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("compare:saved_views", project.id)
