"""The regression diff page: what changed from a baseline evaluation to this one.

Like the review page, one URL serves the page and, to htmx, its results partial, and
the query string (against, iou, conf, change, label, page) reopens the same view.
"""

import contextlib
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers

from core.views import paginate
from data.models import Item, Label
from evaluation.models import Evaluation, EvaluationStatus
from evaluation.regression_baselines import baseline_for, diff_baselines
from evaluation.regressions import (
    CHANGES,
    ChangedItem,
    ChangedItems,
    DiffScope,
    changed_truths,
    diff_scope,
    regression_summary,
)
from evaluation.views.review import get_evaluation_for_user
from evaluation.views.review_params import snap_iou
from registry.views.helpers import render_project_page

PER_PAGE = 24
MAX_PER_PAGE = 96
# The chooser lists the newest; an older baseline still opens from its link.
MAX_CHOICES = 200
CHANGE_NAMES = {
    "regressed": "Regressed (TP → FN)",
    "fixed": "Fixed (FN → TP)",
    "new_fp": "New false positives",
    "fp_gone": "False positives gone",
}
SHORT_NAMES = {"regressed": "Regressed", "fixed": "Fixed", "new_fp": "New FP", "fp_gone": "FP gone"}


@dataclass(frozen=True)
class DiffParams:
    against: str | None
    iou: float
    confidence: float
    change: str | None = None
    label_id: int | None = None

    @property
    def filtered(self) -> bool:
        return self.change is not None or self.label_id is not None


def _unit(query: QueryDict, *keys: str) -> float | None:
    """The first of `keys` holding a number from 0 to 1 (a shared link may be edited)."""
    for key in keys:
        with contextlib.suppress(TypeError, ValueError):
            value = float(query.get(key, ""))
            if 0.0 <= value <= 1.0:
                return value
    return None


def diff_params(query: QueryDict, evaluation: Evaluation, label_ids: set[int]) -> DiffParams:
    """Read leniently like the review page's, except `against`, which is checked."""
    confidence = _unit(query, "conf", "confidence")
    label = query.get("label", "")
    return DiffParams(
        against=query.get("against") or None,
        iou=snap_iou(_unit(query, "iou"), evaluation.iou_threshold),
        confidence=evaluation.confidence_threshold if confidence is None else confidence,
        change=query.get("change") if query.get("change") in CHANGES else None,
        label_id=int(label) if label.isdigit() and int(label) in label_ids else None,
    )


def _cells(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    return [(change, counts[change], SHORT_NAMES[change]) for change in CHANGES]


def _label_rows(per_label: dict, labels: list[Label]) -> list[dict]:
    """The labels with a change, in the label map's order."""
    return [
        {"label": label, "cells": _cells(per_label[label.id])}
        for label in labels
        if label.id in per_label
    ]


def _box(row, labels: dict[int, Label]) -> dict:
    return {
        "x": row.x,
        "y": row.y,
        "w": row.w,
        "h": row.h,
        "label": labels.get(row.label_id),
        "change": row.change,
        "change_name": SHORT_NAMES[row.change],
    }


def diff_cards(scope: DiffScope, rows: list[ChangedItem], labels: dict[int, Label]) -> list[dict]:
    """One card per changed item, with its changed ground truths: three queries a page."""
    items = Item.objects.in_bulk({row.item_id for row in rows})
    truths = defaultdict(list)
    for truth in changed_truths(scope, set(items)):
        truths[truth.item_id].append(_box(truth, labels))
    return [
        {
            "item": items[row.item_id],
            "badges": [cell for cell in _cells(row.counts) if cell[1]],
            "truths": truths[row.item_id],
            "boxes": [box for box in truths[row.item_id] if box["w"] is not None],
        }
        for row in rows
        if row.item_id in items
    ]


def _page_slice(request: HttpRequest) -> slice:
    """The rows `paginate` will ask for (a valid page), so the summary query brings them."""
    per_page = PER_PAGE
    with contextlib.suppress(ValueError):
        per_page = min(max(int(request.GET.get("per_page", PER_PAGE)), 1), MAX_PER_PAGE)
    number = request.GET.get("page", "")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    return slice((number - 1) * per_page, number * per_page)


def diff_context(
    request: HttpRequest,
    evaluation: Evaluation,
    baseline: Evaluation,
    labels: list[Label],
    params: DiffParams,
) -> dict:
    """The per-label table (every label) and a page of the changed items (filtered)."""
    scope = diff_scope(evaluation, baseline, iou=params.iou, min_confidence=params.confidence)
    wanted = _page_slice(request)
    summary = regression_summary(scope, label_id=params.label_id, change=params.change, page=wanted)
    known = (wanted.start, wanted.stop, summary["page"])
    items = ChangedItems(scope, params.label_id, params.change, summary["items"], known)
    page = paginate(request, items, per_page=PER_PAGE, max_per_page=MAX_PER_PAGE)
    by_id = {label.id: label for label in labels}
    return {
        "baseline": baseline,
        "totals": _cells(summary["totals"]),
        "changed": any(summary["totals"].values()),
        "label_rows": _label_rows(summary["per_label"], labels),
        "page": page,
        "cards": diff_cards(items.scope, list(page.object_list), by_id),
        "filter_label": by_id.get(params.label_id),
        "filter_change": CHANGE_NAMES.get(params.change),
    }


def _chosen(evaluation: Evaluation, against: str, candidates: list[Evaluation]) -> Evaluation:
    """The baseline asked for: from the chooser's list, else read and checked."""
    found = next((one for one in candidates if str(one.pk) == against), None)
    if found is None:
        found = baseline_for(evaluation, against)
        candidates.append(found)
    return found


def _results(request, evaluation, labels, params, candidates) -> tuple[dict, int]:
    """The diff's context and status: 400 with the reason when `against` does not compare."""
    try:
        baseline = _chosen(evaluation, params.against, candidates)
    except ValidationError as error:
        return {"against_error": error.messages[0]}, 400
    return diff_context(request, evaluation, baseline, labels, params), 200


def _wants_partial(request: HttpRequest) -> bool:
    # htmx asks for the full page when it restores history it has no copy of.
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


@login_required
def evaluation_diff(request: HttpRequest, project_id: int, evaluation_id: int) -> HttpResponse:
    project, evaluation = get_evaluation_for_user(request, project_id, evaluation_id)
    labels = list(Label.objects.filter(dataset_id=evaluation.dataset_id))
    params = diff_params(request.GET, evaluation, {label.id for label in labels})
    ready = evaluation.status == EvaluationStatus.SUCCEEDED
    candidates = list(diff_baselines(evaluation)[:MAX_CHOICES]) if ready else []
    context = {
        "evaluation": evaluation,
        "labels": labels,
        "params": params,
        "ready": ready,
        "candidates": candidates,
        "change_names": CHANGE_NAMES,
    }
    status = 200
    if candidates and params.against:
        found, status = _results(request, evaluation, labels, params, candidates)
        context.update(found)
    if _wants_partial(request):
        context["project"] = project
        response = TemplateResponse(
            request, "evaluation/review/_diff_results.html", context, status=status
        )
    else:
        response = render_project_page(
            request, "evaluation/review/diff.html", project, "evaluations", context, status=status
        )
    patch_vary_headers(response, ["HX-Request"])
    return response
