"""The version picker's search results (an htmx partial) and "add the whole lineage"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from comparison.compare.selection import MAX_VERSIONS, canonical_query, selection_from_query
from comparison.compare.versions import (
    PICKER_ROWS,
    comparable_versions,
    lineage_ids,
    picker_versions,
)
from comparison.views_compare import page_url
from registry.views.helpers import get_project_for_user


@login_required
def compare_picker(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's versions matching `q`, ticked where `models` already holds them."""
    project = get_project_for_user(request, project_id)
    chosen = set(selection_from_query(canonical_query(request.GET)).model_ids)
    rows = picker_versions(project=project, search=request.GET.get("q", ""))
    context = {
        "project": project,
        "rows": rows[:PICKER_ROWS],
        "more": len(rows) > PICKER_ROWS,
        "chosen": chosen,
        "search": request.GET.get("q", ""),
    }
    return render(request, "comparison/compare/_picker_results.html", context)


@login_required
def compare_add_lineage(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    """Back to the page with the version's ancestors and descendants added after the
    versions already chosen (a GET: it only builds a link)."""
    project = get_project_for_user(request, project_id)
    model = get_object_or_404(comparable_versions(project).only("id", "parent_id"), pk=model_id)
    query = canonical_query(request.GET)
    chosen = list(selection_from_query(query).model_ids)
    added = [one for one in lineage_ids(project=project, model=model) if one not in chosen]
    query["models"] = ",".join(str(one) for one in [*chosen, *added][:MAX_VERSIONS])
    return redirect(page_url(project, query))
