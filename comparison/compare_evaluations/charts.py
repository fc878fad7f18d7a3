"""The data of the section's charts, handed to compare_evaluations.js as JSON.

Versions are referred to by their index in `versions` (the order of `models`), which
is also their colour index in the page's palette, so a version keeps its colour in
every chart of the page. Names travel as data; the script escapes them for Plotly.
"""

from comparison.compare_evaluations.keys import (
    PER_LABEL_COUNTS,
    default_heat_key,
    per_label_keys,
    value_of,
)
from comparison.compare_evaluations.parallel import parallel_data
from comparison.compare_evaluations.section import Section

# Beyond this many labels a heatmap cell is thinner than a pixel; the CSV has them all.
MAX_HEATMAP_LABELS = 300


def chart_data(section: Section, *, label_limit: int | None = MAX_HEATMAP_LABELS) -> dict:
    return {
        "versions": versions_data(section),
        "bars": bars_data(section),
        "heatmap": heatmap_data(section, label_limit=label_limit),
        "by_version": by_version_data(section),
        "parallel": parallel_data(section),
    }


def _evaluation_data(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "dataset": row["dataset__name"],
        "subset": row["subset"],
        "kind": row["kind"],
    }


def versions_data(section: Section) -> list[dict]:
    return [
        {
            "id": version.id,
            "name": version.name,
            "color": index,
            "evaluation": _evaluation_data(section.chosen.get(version.id)),
        }
        for index, version in enumerate(section.versions)
    ]


def _evaluated(section: Section) -> list[tuple[int, dict]]:
    """(version index, evaluation) of the versions that have one, in the order of `models`."""
    return [
        (index, section.chosen[version.id])
        for index, version in enumerate(section.versions)
        if version.id in section.chosen
    ]


def bars_data(section: Section) -> dict:
    """One group per chosen metric, one bar per evaluated version."""
    keys = section.eval_keys
    rows = [
        {"v": index, "values": [value_of(row["summary"], key) for key in keys]}
        for index, row in _evaluated(section)
    ]
    return {"metrics": keys, "rows": rows}


def _labels(evaluations: list[dict]) -> list[str]:
    """Every label, in the order the evaluations list them (their label map's order)."""
    seen: dict[str, None] = {}
    for row in evaluations:
        per_label = row["per_label"] if isinstance(row["per_label"], dict) else {}
        for label in per_label:
            seen.setdefault(str(label), None)
    return list(seen)


def heatmap_data(section: Section, *, label_limit: int | None) -> dict:
    """Versions × labels for each per-label key; the page toggles between the scores."""
    evaluated = [(index, row) for index, row in _evaluated(section) if row["per_label"]]
    rows_only = [row for _, row in evaluated]
    labels = _labels(rows_only)
    shown = labels[:label_limit] if label_limit else labels
    keys = per_label_keys(rows_only)
    rows = [
        {"v": index, "values": {key: _label_values(row, shown, key) for key in keys}}
        for index, row in evaluated
    ]
    return {
        "labels": shown,
        "keys": keys,
        "score_keys": [key for key in keys if key not in PER_LABEL_COUNTS],
        "default": default_heat_key(keys, rows_only),
        "rows": rows,
        "truncated": len(shown) < len(labels),
    }


def _label_values(row: dict, labels: list[str], key: str) -> list[float | None]:
    per_label = row["per_label"]
    return [value_of(per_label.get(label) or {}, key) for label in labels]


def by_version_data(section: Section) -> dict:
    """Each chosen metric along the release order; a version not evaluated is a gap."""
    position = {version.id: index for index, version in enumerate(section.versions)}
    ordered = [position[version.id] for version in section.ordered]
    series = []
    for key in section.eval_keys:
        values = []
        for version in section.ordered:
            row = section.chosen.get(version.id)
            values.append(value_of(row["summary"], key) if row else None)
        series.append(values)
    return {
        "order": section.order,
        "versions": ordered,
        "metrics": section.eval_keys,
        "values": series,
    }
