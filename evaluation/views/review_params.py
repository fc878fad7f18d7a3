"""The review page's query string: thresholds, tab, filters and order, read leniently.

A link with a value out of range still opens the page: every value is clamped or
dropped, never an error, because these URLs are shared and edited by hand.
"""

import contextlib
from dataclasses import dataclass

from django.http import QueryDict

from evaluation import selectors
from evaluation.models import Evaluation, ReviewVerdict
from evaluation.reviews import UNMARKED

TABS = ("fp", "fn")
FP_KINDS = ("background", "wrong_label", "duplicate", "poor_localisation")
FN_KINDS = ("missed", "wrong_label")
KIND_NAMES = {
    "background": "Background",
    "wrong_label": "Wrong label",
    "duplicate": "Duplicate",
    "poor_localisation": "Poor localisation",
    "missed": "Missed",
}
ORDERS = {
    "-confidence": "Confidence, high first",
    "confidence": "Confidence, low first",
    "-iou": "IoU, high first",
    "iou": "IoU, low first",
}
BACKGROUND = "bg"
MARK_FILTERS = {UNMARKED: "Not reviewed", **dict(ReviewVerdict.choices)}


@dataclass(frozen=True)
class ReviewParams:
    iou: float
    confidence: float
    tab: str = "fp"
    label_id: int | None = None
    error_kind: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    order: str = "-confidence"
    mark: str | None = None
    # A confusion-matrix cell: (true label id or "bg", predicted label id or "bg").
    cell: tuple[str, str] | None = None

    @property
    def list_min_confidence(self) -> float:
        """The list never shows errors below the slider, whatever the range filter says."""
        return max(self.confidence, self.min_confidence or 0.0)

    @property
    def kinds(self) -> tuple[str, ...]:
        return FP_KINDS if self.tab == "fp" else FN_KINDS

    @property
    def filtered(self) -> bool:
        return any(
            value is not None
            for value in (
                self.label_id,
                self.error_kind,
                self.min_confidence,
                self.max_confidence,
                self.mark,
            )
        )


def _float(query: QueryDict, key: str) -> float | None:
    with contextlib.suppress(TypeError, ValueError):
        value = float(query.get(key, ""))
        if 0.0 <= value <= 1.0:
            return value
    return None


def _int(query: QueryDict, key: str) -> int | None:
    with contextlib.suppress(TypeError, ValueError):
        return int(query.get(key, ""))
    return None


def snap_iou(value: float | None, default: float) -> float:
    """The stored matches exist only at the ten COCO thresholds: take the nearest one."""
    return selectors.snap_iou(default if value is None else value)[0]


def _cell(query: QueryDict, label_ids: set[int]) -> tuple[str, str] | None:
    parts = query.get("cell", "").split(":")
    if len(parts) != 2:
        return None
    valid = {BACKGROUND} | {str(label_id) for label_id in label_ids}
    if not set(parts) <= valid or parts == [BACKGROUND, BACKGROUND]:
        return None
    return parts[0], parts[1]


def review_params(query: QueryDict, evaluation: Evaluation, label_ids: set[int]) -> ReviewParams:
    tab = query.get("tab") if query.get("tab") in TABS else "fp"
    kinds = FP_KINDS if tab == "fp" else FN_KINDS
    confidence = _float(query, "conf")
    label_id = _int(query, "label")
    return ReviewParams(
        iou=snap_iou(_float(query, "iou"), evaluation.iou_threshold),
        confidence=evaluation.confidence_threshold if confidence is None else confidence,
        tab=tab,
        label_id=label_id if label_id in label_ids else None,
        error_kind=query.get("kind") if query.get("kind") in kinds else None,
        min_confidence=_float(query, "cmin"),
        max_confidence=_float(query, "cmax"),
        order=query.get("order") if query.get("order") in ORDERS else "-confidence",
        cell=_cell(query, label_ids),
        mark=query.get("mark") if query.get("mark") in MARK_FILTERS else None,
    )
