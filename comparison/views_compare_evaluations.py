"""The comparison page's evaluation section, and the CSV behind each of its charts.

The page loads the section with htmx and its own query string; opened directly, the
same URL answers with a minimal page around it.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify

from comparison.compare_evaluations import links
from comparison.compare_evaluations.charts import chart_data
from comparison.compare_evaluations.exports import EXPORTS, csv_text
from comparison.compare_evaluations.params import (
    MAX_VERSIONS,
    compare_page_path,
    query_string,
    section_params,
)
from comparison.compare_evaluations.section import Section, build_section
from registry.models import Project
from registry.views.helpers import get_project_for_user, render_project_page

PARTIAL = "comparison/compare/evaluations/_section.html"
PAGE = "comparison/compare/evaluations/page.html"
# The comparison page's colours and styles, shared by the section opened on its own;
# linked only where they exist (compare_evaluations.js has a fallback palette).
SHARED_ASSETS = {"palette_script": "comparison/palette.js", "compare_css": "comparison/compare.css"}


def _section_for(request: HttpRequest, project_id: int) -> tuple[Project, Section]:
    project = get_project_for_user(request, project_id)
    return project, build_section(project=project, params=section_params(request.GET))


def _wants_partial(request: HttpRequest) -> bool:
    # htmx asks for the full page when it restores history it has no copy of.
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _csv_links(section: Section) -> dict[str, str]:
    query = query_string(section.params.query)
    return {
        chart: reverse("compare_evaluations:csv", args=[section.project.id, chart]) + f"?{query}"
        for chart in EXPORTS
    }


def section_context(section: Section) -> dict:
    return {
        "section": section,
        "charts": chart_data(section),
        "chips": links.metric_chips(section),
        "not_evaluated": links.not_evaluated(section),
        "subset_groups": links.subset_groups(section),
        "dataset_chooser": links.dataset_chooser(section),
        "pc_chooser": links.pc_chooser(section),
        "csv_links": _csv_links(section),
        "compare_url": compare_page_path(section.project.id),
        "max_versions": MAX_VERSIONS,
    }


@login_required
def compare_evaluations_section(request: HttpRequest, project_id: int) -> HttpResponse:
    project, section = _section_for(request, project_id)
    context = section_context(section)
    if _wants_partial(request):
        return render_project_page(request, PARTIAL, project, "compare", context)
    context.update(
        {name: path if finders.find(path) else None for name, path in SHARED_ASSETS.items()}
    )
    return render_project_page(request, PAGE, project, "compare", context)


@login_required
def compare_evaluations_csv(request: HttpRequest, project_id: int, chart: str) -> HttpResponse:
    if chart not in EXPORTS:
        raise Http404("No such chart.")
    project, section = _section_for(request, project_id)
    response = HttpResponse(csv_text(EXPORTS[chart](section)), content_type="text/csv")
    filename = f"{slugify(project.name) or 'project'}-evaluations-{chart}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
