"""The summary's numbers, read from the evaluation's JSON whatever the key spelling."""

import re

from data.models import Label
from evaluation.models import Evaluation

# (shown as, accepted keys once lower-cased without punctuation)
BOX_HEADLINES = (
    ("mAP", ("map", "map5095", "ap", "bboxmap")),
    ("AP50", ("ap50", "map50")),
    ("AP75", ("ap75", "map75")),
    ("Recall", ("recall", "ar", "ar100", "mar100")),
)
CLASS_HEADLINES = (
    ("Accuracy", ("accuracy", "acc")),
    ("Macro F1", ("macrof1", "f1macro", "macroavgf1")),
    ("Weighted F1", ("weightedf1", "f1weighted", "weightedavgf1")),
)
# Column titles as people write them; other keys are shown as stored.
TITLES = {"ap": "AP", "ap50": "AP50", "ap75": "AP75", "f1": "F1", "f1score": "F1"}
# Per-label columns in this order when present; any other numeric ones follow.
PER_LABEL_ORDER = ("ap", "ap50", "ap75", "precision", "recall", "f1", "f1score", "support")


def _normal(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(key).lower())


def _numbers(values: dict) -> dict[str, tuple[str, float]]:
    """Numeric entries by normalised key, each with the key as written."""
    return {
        _normal(key): (str(key), value)
        for key, value in (values or {}).items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def headline_metrics(evaluation: Evaluation) -> list[dict]:
    numbers = _numbers(evaluation.summary)
    wanted = BOX_HEADLINES if evaluation.kind == "box" else CLASS_HEADLINES
    found = []
    for title, keys in wanted:
        hit = next((numbers[key] for key in keys if key in numbers), None)
        if hit is not None:
            found.append({"name": title, "value": hit[1]})
    return found


def _columns(rows: dict) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for values in rows.values():
        for normal, (key, _) in _numbers(values if isinstance(values, dict) else {}).items():
            seen.setdefault(normal, key)
    ranked = sorted(
        seen, key=lambda normal: PER_LABEL_ORDER.index(normal) if normal in PER_LABEL_ORDER else 99
    )
    return [(normal, seen[normal]) for normal in ranked]


def per_label_table(evaluation: Evaluation, labels: list[Label]) -> dict:
    """{"columns": [...], "rows": [{"label", "name", "values"}]} in the label map's order."""
    rows = evaluation.per_label or {}
    columns = _columns(rows)
    by_key = {}
    for key, values in rows.items():
        by_key[str(key)] = _numbers(values if isinstance(values, dict) else {})
    table = []
    for label in labels:
        numbers = by_key.pop(label.name, None) or by_key.pop(str(label.id), None)
        if numbers is not None:
            table.append({"label": label, "name": label.name, "values": _row(numbers, columns)})
    for name, numbers in by_key.items():  # labels since removed from the map
        table.append({"label": None, "name": name, "values": _row(numbers, columns)})
    titles = [TITLES.get(normal, key.replace("_", " ").capitalize()) for normal, key in columns]
    return {"columns": titles, "rows": table}


def _row(numbers: dict, columns: list[tuple[str, str]]) -> list:
    return [numbers.get(normal, (None, None))[1] for normal, _ in columns]


def label_counts(counts: dict, labels: list[Label]) -> list[dict]:
    """TP / FP / FN / precision / recall / F1 per label at the page's thresholds."""
    per_label = counts.get("per_label", {})
    rows = []
    for label in labels:
        values = per_label.get(label.id) or per_label.get(str(label.id))
        if values:
            rows.append({"label": label, **values})
    return rows
