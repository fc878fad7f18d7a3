"""The comparison page: chosen versions side by side, charts, summary and configuration.

Its whole state is the query string (see comparison/compare/selection.py), so a link
reopens the same view. A form's GET (repeated keys, options at their defaults) is
redirected to the canonical link first.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from comparison.compare.page import comparison_data
from comparison.compare.saved_views import PAGE_LIST_LIMIT, can_delete, saved_views_for_project
from comparison.compare.selection import (
    MAX_VERSIONS,
    canonical_query,
    query_string,
    selection_from_query,
)
from comparison.compare.versions import versions_for_selection
from registry.models import Project
from registry.views.helpers import get_project_for_user, render_project_page


def page_url(project: Project, query: QueryDict | None = None) -> str:
    url = reverse("compare:page", args=[project.id])
    encoded = query_string(query) if query else ""
    return f"{url}?{encoded}" if encoded else url


def evaluations_section_url(project: Project) -> str | None:
    """The evaluation section's address, or None while that view is not installed."""
    try:
        return reverse("compare_evaluations:section", args=[project.id])
    except NoReverseMatch:
        return None


@login_required
def compare_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    canonical = canonical_query(request.GET)
    if dict(canonical.lists()) != dict(request.GET.lists()):
        return redirect(page_url(project, canonical))
    selection = selection_from_query(request.GET)
    versions = versions_for_selection(project=project, ids=selection.model_ids)
    context = {
        **comparison_data(selection=selection, versions=versions),
        "saved_views": _saved_views(request, project),
        "evaluations_url": evaluations_section_url(project) if versions else None,
        "query": query_string(request.GET),
        "max_versions": MAX_VERSIONS,
    }
    return render_project_page(request, "comparison/compare/page.html", project, "compare", context)


def _saved_views(request: HttpRequest, project: Project) -> list[dict]:
    views = saved_views_for_project(project)[:PAGE_LIST_LIMIT]
    return [{"view": view, "can_delete": can_delete(view, request.user)} for view in views]
