"""Metric keys as the evaluations store them (evaluation/metrics.py).

Box evaluations keep mAP, AP50, AP75 and recall in their summary and AP, AP50, AP75,
recall and support per label; class evaluations keep accuracy, macro / weighted
precision, recall and F1 (and top-k accuracy) in their summary and precision,
recall, F1 and support per label. Offline evaluations may add keys of their own.
"""

import math
import re

SUMMARY_ORDER = (
    "mAP",
    "AP50",
    "AP75",
    "recall",
    "accuracy",
    "macro_f1",
    "weighted_f1",
    "macro_precision",
    "macro_recall",
    "weighted_precision",
    "weighted_recall",
)
PER_LABEL_ORDER = ("AP", "AP50", "AP75", "f1", "precision", "recall")
# A count, not a score: drawn in no heatmap, still exported.
PER_LABEL_COUNTS = ("support",)


def is_number(value) -> bool:
    """A finite int or float: NaN would not survive JSON.parse in the browser."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _normal(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(key).lower())


def value_of(values: dict, key: str) -> float | None:
    """values[key] if numeric; `map` finds `mAP` too, as links are typed by hand."""
    if not isinstance(values, dict):
        return None
    if key in values:
        return values[key] if is_number(values[key]) else None
    wanted = _normal(key)
    for stored, value in values.items():
        if _normal(stored) == wanted and is_number(value):
            return value
    return None


def ordered_keys(rows: list[dict], preferred: tuple[str, ...]) -> list[str]:
    """Numeric keys found in `rows`: the preferred ones in their order, then the rest."""
    seen: dict[str, None] = {}
    for row in rows:
        for key, value in (row if isinstance(row, dict) else {}).items():
            if is_number(value):
                seen.setdefault(str(key), None)
    rank = {key: index for index, key in enumerate(preferred)}
    return sorted(seen, key=lambda key: rank.get(key, len(rank)))


def summary_keys(evaluations: list[dict]) -> list[str]:
    return ordered_keys([row["summary"] for row in evaluations], SUMMARY_ORDER)


def per_label_keys(evaluations: list[dict]) -> list[str]:
    label_rows = [
        values
        for row in evaluations
        if isinstance(row["per_label"], dict)
        for values in row["per_label"].values()
    ]
    return ordered_keys(label_rows, PER_LABEL_ORDER + PER_LABEL_COUNTS)


def default_heat_key(keys: list[str], evaluations: list[dict]) -> str | None:
    """AP when boxes were evaluated, F1 for classification, else the first score."""
    scores = [key for key in keys if key not in PER_LABEL_COUNTS]
    boxes = any(row["kind"] == "box" for row in evaluations)
    for wanted in ("AP", "f1") if boxes else ("f1", "AP"):
        if wanted in scores:
            return wanted
    return scores[0] if scores else None
