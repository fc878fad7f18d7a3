"""One card per error on the review grid: the crop to show and the boxes to draw on it.

The boxes of every item on a page come in two queries (ground truth, predictions),
whatever the page size, so the page's query count does not grow with it.
"""

from collections import defaultdict

from data.models import Label
from evaluation.models import EvalGroundTruth, EvalPrediction, Evaluation
from evaluation.views.review_params import KIND_NAMES

# Context around a box crop, as a share of the box's larger side (at least MIN_PAD px).
CONTEXT = 0.75
MIN_PAD = 8.0


def _box(row) -> dict | None:
    if row.x is None or row.w is None:
        return None
    return {"x": row.x, "y": row.y, "w": row.w, "h": row.h}


def crop_viewbox(box: dict | None, width: int, height: int) -> str:
    """An SVG viewBox around `box` with context, inside the image; the whole image without."""
    if box is None:
        return f"0 0 {width} {height}"
    pad = max(box["w"], box["h"]) * CONTEXT + MIN_PAD
    left, top = max(0.0, box["x"] - pad), max(0.0, box["y"] - pad)
    right = min(float(width), box["x"] + box["w"] + pad)
    bottom = min(float(height), box["y"] + box["h"] + pad)
    return f"{left:g} {top:g} {max(right - left, 1.0):g} {max(bottom - top, 1.0):g}"


def _shapes(rows, labels: dict[int, Label], focus_id: int | None) -> list[dict]:
    shapes = []
    for row in rows:
        box = _box(row)
        if box is not None:
            box.update(label=labels.get(row.label_id), focus=row.id == focus_id)
            shapes.append(box)
    return shapes


def boxes_by_item(
    evaluation: Evaluation, item_ids: set[int], min_confidence: float
) -> tuple[dict, dict]:
    """Ground truth and predictions (above the slider) of those items, grouped by item."""
    truths, predictions = defaultdict(list), defaultdict(list)
    for row in EvalGroundTruth.objects.filter(evaluation=evaluation, item_id__in=item_ids):
        truths[row.item_id].append(row)
    for row in EvalPrediction.objects.filter(
        evaluation=evaluation, item_id__in=item_ids, confidence__gte=min_confidence
    ).order_by("-confidence"):
        predictions[row.item_id].append(row)
    return truths, predictions


def _measures(row, iou_key: str) -> tuple[float | None, float | None]:
    """(confidence, IoU) shown on a card; for a ground truth, those of its match if any."""
    if isinstance(row, EvalGroundTruth):
        return getattr(row, f"conf_{iou_key}", None), row.best_iou_any
    return row.confidence, row.iou_any


def error_cards(
    evaluation: Evaluation,
    rows: list,
    kind: str,
    labels: dict[int, Label],
    iou_key: str,
    min_confidence: float,
) -> list[dict]:
    truths, predictions = boxes_by_item(evaluation, {row.item_id for row in rows}, min_confidence)
    cards = []
    for row in rows:
        item = row.item
        box = _box(row)
        confidence, iou = _measures(row, iou_key)
        is_truth = isinstance(row, EvalGroundTruth)
        on_item_truths = truths.get(item.id, [])
        on_item_predictions = predictions.get(item.id, [])
        cards.append(
            {
                "kind": kind,
                "row": row,
                "item": item,
                "label": labels.get(row.label_id, row.label),
                "error_kind": getattr(row, "error_kind", ""),
                "error_kind_name": KIND_NAMES.get(getattr(row, "error_kind", ""), ""),
                "confidence": confidence,
                "iou": iou,
                "viewbox": crop_viewbox(box, item.width, item.height),
                "font_size": max(item.width, item.height) / 14,
                "truths": _shapes(on_item_truths, labels, row.id if is_truth else None),
                "predictions": _shapes(on_item_predictions, labels, None if is_truth else row.id),
                # Classification: the labels on the item, for the caption.
                "truth_labels": [labels.get(one.label_id) for one in on_item_truths],
                "predicted_labels": [labels.get(one.label_id) for one in on_item_predictions[:3]],
            }
        )
    return cards
