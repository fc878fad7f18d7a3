"""Reads on evaluations: counts and FP / FN lists at any (IoU, confidence) pair.

Both read the stored matches (see evaluation.models.evaluations), so a threshold
move is one or two aggregate queries. The IoU asked for is snapped to the nearest
of the ten stored thresholds.

Error kinds, at the snapped threshold t:
  FP  duplicate          a ground truth of its label overlaps >= t, but a more confident
                         prediction took it (or it is past COCO's 100 per image and label)
      wrong_label        it overlaps a ground truth of another label >= t
                         (iou_same < t and iou_any >= t: the best overlap is another label)
      poor_localisation  a ground truth of its label overlaps, 0.1 <= IoU < t
      background         nothing of its label overlaps even 0.1, nor another label >= t
  FN  wrong_label        the best prediction over it (any label) overlaps >= t and has
                         another label
      missed             otherwise
Wrong label is checked before poor localisation: a box that sits on another label's
object is a confusion first, whatever it grazes of its own label.
"""

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from evaluation.count_grids import grid_counts
from evaluation.models import (
    IOU_THRESHOLDS,
    THRESHOLD_KEYS,
    EvalGroundTruth,
    EvalPrediction,
    Evaluation,
)
from evaluation.models.evaluations import missed_at

POOR_LOCALISATION_IOU = 0.1
FP_KINDS = ("duplicate", "wrong_label", "poor_localisation", "background")
FN_KINDS = ("wrong_label", "missed")
ORDERS = ("-confidence", "confidence", "iou", "-iou")


def snap_iou(iou: float) -> tuple[float, str]:
    """The stored threshold nearest to `iou`, and its column suffix."""
    index = min(range(len(IOU_THRESHOLDS)), key=lambda i: abs(IOU_THRESHOLDS[i] - float(iou)))
    return IOU_THRESHOLDS[index], THRESHOLD_KEYS[index]


def _ratios(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def counts_at(
    evaluation: Evaluation,
    *,
    iou: float = 0.5,
    min_confidence: float = 0.0,
    label_id: int | None = None,
) -> dict:
    """TP / FP / FN / precision / recall / F1 overall and under "per_label" (by label id).

    On a step of the review page's slider the evaluation's count grids answer; between
    steps the rows are counted.
    """
    _, key = snap_iou(iou)
    per_label = grid_counts(evaluation, key, min_confidence)
    if per_label is None:
        per_label = _counted(evaluation, key, min_confidence)
    if label_id is not None:
        per_label = {k: v for k, v in per_label.items() if k == label_id}
    totals = {name: sum(one[name] for one in per_label.values()) for name in ("tp", "fp", "fn")}
    return {**_ratios(**totals), "per_label": {k: _ratios(**v) for k, v in per_label.items()}}


def _counted(evaluation: Evaluation, key: str, min_confidence: float) -> dict[int, dict]:
    """Per label TP / FP / FN from the rows. Matching pairs one prediction with one
    ground truth, and the ground truth keeps the prediction's confidence, so TP and FN
    come from the ground truth alone and FP is the predictions above the confidence
    less TP: a count the (evaluation, label, confidence) index answers."""
    predictions = EvalPrediction.objects.filter(
        evaluation=evaluation, confidence__gte=min_confidence
    )
    truths = EvalGroundTruth.objects.filter(evaluation=evaluation)
    matched = Q(**{f"conf_{key}__gte": min_confidence})
    per_label: dict[int, dict] = {}
    rows = (
        truths.order_by().values("label_id").annotate(tp=Count("id", filter=matched), n=Count("id"))
    )
    for row in rows:
        per_label[row["label_id"]] = {"tp": row["tp"], "fp": 0, "fn": row["n"] - row["tp"]}
    for row in predictions.order_by().values("label_id").annotate(n=Count("id")):
        one = per_label.setdefault(row["label_id"], {"tp": 0, "fp": 0, "fn": 0})
        one["fp"] = row["n"] - one["tp"]
    return per_label


def fp_kind(threshold: float) -> Case:
    return Case(
        When(iou_same__gte=threshold, then=Value("duplicate")),
        When(iou_any__gte=threshold, then=Value("wrong_label")),
        When(iou_same__gte=POOR_LOCALISATION_IOU, then=Value("poor_localisation")),
        default=Value("background"),
        output_field=CharField(),
    )


def fn_kind(threshold: float) -> Case:
    other_label = Q(best_iou_any__gte=threshold, best_label_any__isnull=False) & ~Q(
        best_label_any=F("label")
    )
    return Case(
        When(other_label, then=Value("wrong_label")),
        default=Value("missed"),
        output_field=CharField(),
    )


def errors_at(
    evaluation: Evaluation,
    *,
    kind: str = "fp",
    iou: float = 0.5,
    min_confidence: float = 0.0,
    label_id: int | None = None,
    error_kind: str | None = None,
    max_confidence: float | None = None,
    order: str = "-confidence",
) -> QuerySet:
    """False positives (EvalPrediction) or false negatives (EvalGroundTruth) at the pair,
    each annotated with `error_kind`; paginate it. For FN, `max_confidence` is ignored:
    a miss has no confidence of its own."""
    threshold, key = snap_iou(iou)
    if kind == "fn":
        # The very expression of the evalgt_missed_* indexes, so one page reads one
        # index range instead of sorting every ground truth of the evaluation.
        rows = EvalGroundTruth.objects.filter(evaluation=evaluation).alias(missed=missed_at(key))
        rows = rows.filter(missed__lt=min_confidence)
        rows = rows.annotate(error_kind=fn_kind(threshold))
    else:
        rows = EvalPrediction.objects.filter(
            evaluation=evaluation, confidence__gte=min_confidence, **{f"match_{key}__isnull": True}
        )
        if max_confidence is not None:
            rows = rows.filter(confidence__lte=max_confidence)
        rows = rows.annotate(error_kind=fp_kind(threshold))
    if label_id is not None:
        rows = rows.filter(label_id=label_id)
    if error_kind:
        rows = rows.filter(error_kind=error_kind)
    return rows.select_related("item", "label").order_by(*_ordering(order, kind, key))


def _ordering(order: str, kind: str, key: str) -> list:
    field = order.lstrip("-")
    if kind == "fn":
        column = {"iou": "best_iou_any"}.get(field, "missed")
    else:
        column = {"iou": "iou_any"}.get(field, "confidence")
    descending = order.startswith("-")
    if column in ("confidence", "missed"):
        # Never null: a plain ORDER BY lets PostgreSQL walk the (evaluation, confidence)
        # index and stop after one page, where NULLS LAST would make it sort every row.
        return [f"-{column}", "-id"] if descending else [column, "id"]
    if descending:
        return [F(column).desc(nulls_last=True), "-id"]
    return [F(column).asc(nulls_first=True), "id"]


def evaluations_for(*, user, model_id=None, project_id=None, dataset_id=None) -> QuerySet:
    """Evaluations of the caller's projects, newest first."""
    from registry.access import visible_project_ids

    rows = Evaluation.objects.filter(project__in=visible_project_ids(user))
    for field, value in (
        ("model_id", model_id),
        ("project_id", project_id),
        ("dataset_id", dataset_id),
    ):
        if value is not None:
            rows = rows.filter(**{field: value})
    return rows.select_related("model", "dataset", "job")
