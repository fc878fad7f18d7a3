"""CSV downloads of the comparison page: the charts' series, the summary, the configuration.

Each reads the page's own query string, so a download holds what the page shows.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse

from comparison.compare.config import config_table
from comparison.compare.exports import config_rows, csv_pieces, series_rows, summary_rows
from comparison.compare.metrics import default_metrics, metric_choices, series_summaries
from comparison.compare.selection import Selection, canonical_query, selection_from_query
from comparison.compare.summary import summary_table
from comparison.compare.versions import versions_for_selection
from registry.views.helpers import get_project_for_user


def _csv(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_pieces(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _selected(request: HttpRequest, project_id: int):
    project = get_project_for_user(request, project_id)
    selection = selection_from_query(canonical_query(request.GET))
    versions = versions_for_selection(project=project, ids=selection.model_ids)
    if selection.metrics is None:
        choices, _ = metric_choices(model_ids=selection.model_ids)
        selection = selection.with_metrics(default_metrics(choices))
    return project, selection, versions


def _names(request: HttpRequest, selection: Selection) -> list[str]:
    """One chart's metric (`metric=`) or all the page's."""
    one = request.GET.get("metric")
    return [one] if one else list(selection.metrics)


@login_required
def series_csv(request: HttpRequest, project_id: int) -> StreamingHttpResponse:
    """The charts' points as drawn (`full=1`: every stored point)."""
    _, selection, versions = _selected(request, project_id)
    names = _names(request, selection)
    series = list(series_summaries(model_ids=selection.model_ids, names=names).values())
    full = request.GET.get("full") == "1"
    rows = series_rows(
        versions=versions, series=series, max_points=None if full else selection.points
    )
    return _csv(rows, "comparison-points.csv" if full else "comparison-series.csv")


@login_required
def summary_csv(request: HttpRequest, project_id: int) -> StreamingHttpResponse:
    _, selection, versions = _selected(request, project_id)
    names = list(selection.metrics)
    table = summary_table(
        versions=versions,
        names=names,
        summaries=series_summaries(model_ids=selection.model_ids, names=names),
        better=selection.better,
        at=selection.at,
    )
    return _csv(summary_rows(table), "comparison-summary.csv")


@login_required
def config_csv(request: HttpRequest, project_id: int) -> StreamingHttpResponse:
    _, selection, versions = _selected(request, project_id)
    table = config_table(versions=versions, differences_only=selection.differences_only)
    return _csv(config_rows(versions=versions, table=table), "comparison-configuration.csv")
