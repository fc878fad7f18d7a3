"""The evaluation review page: summary, live thresholds, FP / FN grid, confusion, PR curves.

One URL serves the page and, to htmx, its results partial: the form pushes its
query string to the address bar, so a copied link reopens the same view in full.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers

from core.views import paginate
from data.models import Label
from evaluation.models import Evaluation, EvaluationStatus
from evaluation.reviews import filter_by_mark, marks_for, target_key
from evaluation.selectors import counts_at, errors_at
from evaluation.views.review_cards import error_cards
from evaluation.views.review_confusion import cell_rows, chart_data
from evaluation.views.review_params import (
    KIND_NAMES,
    MARK_FILTERS,
    ORDERS,
    ReviewParams,
    review_params,
)
from evaluation.views.review_summary import headline_metrics, label_counts, per_label_table
from registry.access import has_role, role_for
from registry.models import Project, Role
from registry.views.helpers import get_project_for_user, render_project_page

PER_PAGE = 24
MAX_PER_PAGE = 96


def get_evaluation_for_user(
    request: HttpRequest, project_id: int, evaluation_id: int
) -> tuple[Project, Evaluation]:
    """Reached through the project: another project's evaluation is a 404 here."""
    project = get_project_for_user(request, project_id)
    evaluations = Evaluation.objects.select_related("model", "dataset", "job")
    return project, get_object_or_404(evaluations, pk=evaluation_id, project=project)


def _wants_partial(request: HttpRequest) -> bool:
    # htmx asks for the full page when it restores history it has no copy of.
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _error_rows(evaluation: Evaluation, params: ReviewParams):
    rows, kind = _unmarked_error_rows(evaluation, params)
    return filter_by_mark(rows, params.mark), kind


def _unmarked_error_rows(evaluation: Evaluation, params: ReviewParams):
    if params.cell is not None:
        return cell_rows(evaluation, params)
    fp = params.tab == "fp"
    rows = errors_at(
        evaluation,
        kind=params.tab,
        iou=params.iou,
        # The range filter narrows false positives; a miss has no confidence of its own.
        min_confidence=params.list_min_confidence if fp else params.confidence,
        label_id=params.label_id,
        error_kind=params.error_kind,
        max_confidence=params.max_confidence if fp else None,
        order=params.order,
    )
    return rows, params.tab


def results_context(
    request: HttpRequest, evaluation: Evaluation, labels: list[Label], params: ReviewParams
) -> dict:
    """Everything the thresholds and filters change: the counts and the error grid."""
    counts = counts_at(
        evaluation, iou=params.iou, min_confidence=params.confidence, label_id=params.label_id
    )
    rows, kind = _error_rows(evaluation, params)
    if _counted_above(params):
        rows = KnownCount(rows, counts[kind])
    page = paginate(request, rows, per_page=PER_PAGE, max_per_page=MAX_PER_PAGE)
    by_id = {label.id: label for label in labels}
    iou_key = f"{round(params.iou * 100):02d}"
    rows = list(page.object_list)
    cards = error_cards(evaluation, rows, kind, by_id, iou_key, params.confidence)
    marks = marks_for(evaluation, rows)
    for card in cards:
        card["target"] = target_key(card["row"])
        card["mark"] = marks.get(card["target"])
    return {
        "params": params,
        "counts": counts,
        "label_counts": label_counts(counts, labels),
        "page": page,
        "cards": cards,
        "list_kind": kind,
        "cell_labels": _cell_labels(params, by_id),
    }


def _counted_above(params: ReviewParams) -> bool:
    """Whether the list holds exactly the errors the counts above it count (so its
    length is known without counting again): no filter beyond the label."""
    if params.cell is not None or params.error_kind or params.mark:
        return False
    if params.tab == "fn":
        return True
    return params.max_confidence is None and params.list_min_confidence == params.confidence


class KnownCount:
    """Rows whose number is already known: the paginator asks this instead of the database."""

    def __init__(self, rows, count: int):
        self.rows = rows
        self.known = count

    def count(self) -> int:
        return self.known

    def __len__(self) -> int:
        return self.known

    def __getitem__(self, index):
        return self.rows[index]


def _cell_labels(params: ReviewParams, by_id: dict[int, Label]) -> tuple | None:
    if params.cell is None:
        return None
    return tuple(None if key == "bg" else by_id.get(int(key)) for key in params.cell)


def _page_context(evaluation: Evaluation, labels: list[Label], params: ReviewParams) -> dict:
    return {
        "evaluation": evaluation,
        "labels": labels,
        "headlines": headline_metrics(evaluation),
        "per_label": per_label_table(evaluation, labels),
        "charts": chart_data(evaluation, labels),
        "orders": ORDERS,
        "kinds": KIND_NAMES,
        "mark_filters": MARK_FILTERS,
    }


@login_required
def evaluation_review(request: HttpRequest, project_id: int, evaluation_id: int) -> HttpResponse:
    project, evaluation = get_evaluation_for_user(request, project_id, evaluation_id)
    labels = list(Label.objects.filter(dataset_id=evaluation.dataset_id))
    params = review_params(request.GET, evaluation, {label.id for label in labels})
    ready = evaluation.status == EvaluationStatus.SUCCEEDED
    context = {
        "project": project,
        "role": role_for(request.user, project),
        "can_mark": has_role(request.user, project, Role.ANNOTATOR),
        "evaluation": evaluation,
        "params": params,
        "ready": ready,
    }
    if ready:
        context.update(results_context(request, evaluation, labels, params))
    if _wants_partial(request):
        response = TemplateResponse(request, "evaluation/review/_results.html", context)
    else:
        if ready:
            context.update(_page_context(evaluation, labels, params))
        response = render_project_page(
            request, "evaluation/review/page.html", project, "evaluations", context
        )
    patch_vary_headers(response, ["HX-Request"])
    return response
