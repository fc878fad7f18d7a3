"""The confusion matrix and PR curves for the charts, and the rows behind one matrix cell.

Rows are ground truth, columns predictions; for boxes the last row and column are
"background". A cell lists, at the page's thresholds (the same rules as
evaluation.metrics.detection_confusion, which fills the matrix):

* (A, A): predictions of A that matched (true positives);
* (A, B): unmatched predictions of B over a GT of A (IoU with B's GT < t, with any >= t);
* (bg, B): the other unmatched predictions of B;
* (A, bg): GT of A missed, unless such a prediction of another label covers them.

Classification: (A, B) is the items of true label A whose top prediction is B.
"""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from data.models import Label
from evaluation.models import EvalGroundTruth, EvalPrediction, Evaluation
from evaluation.views.review_params import BACKGROUND, ReviewParams

BACKGROUND_NAMES = {"background", "bg", "__background__"}


def axis_keys(names: list, labels: list[Label]) -> list[str]:
    """The cell key ("bg" or a label id) of each matrix row/column named in the JSON."""
    by_name = {label.name: str(label.id) for label in labels}
    by_id = {str(label.id): str(label.id) for label in labels}
    keys = []
    for name in names:
        text = str(name)
        if text in by_name:
            keys.append(by_name[text])
        elif text in by_id:
            keys.append(by_id[text])
        else:
            keys.append(BACKGROUND if text.lower() in BACKGROUND_NAMES else "")
    return keys


def chart_data(evaluation: Evaluation, labels: list[Label]) -> dict:
    """What review.js draws: plain data, label names escaped there for Plotly."""
    confusion = evaluation.confusion or {}
    names = [str(name) for name in confusion.get("labels", [])]
    curves = evaluation.pr_curves or {}
    return {
        "confusion": {
            "labels": names,
            "keys": axis_keys(names, labels),
            "matrix": confusion.get("matrix", []),
            # The thresholds the matrix was counted at: a click lists the cell at those.
            "iou": confusion.get("iou", evaluation.iou_threshold),
            "confidence": confusion.get("min_confidence", evaluation.confidence_threshold),
        },
        "pr_curves": [
            {
                "label": str(name),
                "recall": curve.get("recall", []),
                "precision": curve.get("precision", []),
            }
            for name, curve in curves.items()
            if isinstance(curve, dict)
        ],
    }


def _key(params: ReviewParams) -> str:
    return f"{round(params.iou * 100):02d}"


def _unmatched(evaluation: Evaluation, params: ReviewParams) -> QuerySet:
    key = _key(params)
    return EvalPrediction.objects.filter(
        evaluation=evaluation, confidence__gte=params.confidence, **{f"match_{key}__isnull": True}
    )


def _on_another_label(params: ReviewParams) -> Q:
    """An unmatched prediction sitting on another label's ground truth (a confusion)."""
    return Q(iou_same__lt=params.iou, iou_any__gte=params.iou)


def _missed_rows(evaluation: Evaluation, params: ReviewParams, label_id: int) -> QuerySet:
    """GT of the label missed at the pair, less those a confusion already counts."""
    missed = Q(**{f"conf_{_key(params)}__isnull": True}) | Q(
        **{f"conf_{_key(params)}__lt": params.confidence}
    )
    covered = _unmatched(evaluation, params).filter(_on_another_label(params))
    rows = EvalGroundTruth.objects.filter(evaluation=evaluation, label_id=label_id).filter(missed)
    return rows.exclude(id__in=covered.values("best_gt_any")).order_by("item_id", "id")


def _box_cell(evaluation: Evaluation, params: ReviewParams) -> tuple[QuerySet, str]:
    truth, predicted = params.cell
    if predicted == BACKGROUND:
        return _missed_rows(evaluation, params, int(truth)).select_related("item", "label"), "fn"
    if truth == predicted:
        rows = EvalPrediction.objects.filter(
            evaluation=evaluation,
            label_id=int(predicted),
            confidence__gte=params.confidence,
            **{f"match_{_key(params)}__isnull": False},
        )
        kind = "tp"
    elif truth == BACKGROUND:
        rows = _unmatched(evaluation, params).filter(label_id=int(predicted))
        rows, kind = rows.exclude(_on_another_label(params)), "fp"
    else:
        rows = _unmatched(evaluation, params).filter(
            _on_another_label(params), label_id=int(predicted)
        )
        rows, kind = rows.filter(best_gt_any__in=_truth_ids(evaluation, int(truth))), "fp"
    return rows.select_related("item", "label").order_by("-confidence", "id"), kind


def _truth_ids(evaluation: Evaluation, label_id: int) -> QuerySet:
    return EvalGroundTruth.objects.filter(evaluation=evaluation, label_id=label_id).values("id")


def _class_cell(evaluation: Evaluation, params: ReviewParams) -> tuple[QuerySet, str]:
    truth, predicted = params.cell
    top = EvalPrediction.objects.filter(
        evaluation=evaluation, item=OuterRef("item"), confidence__gte=params.confidence
    ).order_by("-confidence", "id")
    rows = EvalGroundTruth.objects.filter(evaluation=evaluation, label_id=int(truth))
    rows = rows.annotate(top_label=Subquery(top.values("label_id")[:1]))
    if predicted == BACKGROUND:
        rows = rows.filter(top_label__isnull=True)
    else:
        rows = rows.filter(top_label=int(predicted))
    kind = "tp" if truth == predicted else "fn"
    return rows.select_related("item", "label").order_by(F("item_id"), "id"), kind


def cell_rows(evaluation: Evaluation, params: ReviewParams) -> tuple[QuerySet, str]:
    """The rows behind the chosen cell, and the card kind to show them as."""
    if evaluation.kind == "box":
        return _box_cell(evaluation, params)
    if params.cell[0] == BACKGROUND:
        return EvalGroundTruth.objects.none(), "fn"
    return _class_cell(evaluation, params)
