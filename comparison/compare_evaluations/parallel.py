"""Parallel coordinates: the hyper-parameters that differ across versions, then a metric.

A hyper-parameter every version sets to a number is a numeric axis; any other (text,
booleans, lists, or missing on some version) is categorical: its distinct values are
ticks and each version sits at the index of its own.
"""

import json

from comparison.compare_evaluations.keys import is_number
from comparison.compare_evaluations.section import Section, pc_title

# Beyond this, the axes are too narrow to read; the CSV keeps every differing one.
MAX_AXES = 24
NOT_SET = "—"
_MISSING = object()


def flat_leaves(configuration: dict, prefix: str = "") -> dict[str, object]:
    """Nested keys joined with dots (a.b.c), as the model page's configuration table
    shows them, keeping each leaf's own type (flatten_configuration makes it text)."""
    leaves: dict[str, object] = {}
    for key, value in configuration.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            leaves.update(flat_leaves(value, prefix=f"{path}."))
        else:
            leaves[path] = value
    return leaves


def _text(value) -> str:
    if value is _MISSING:
        return NOT_SET
    return value if isinstance(value, str) else json.dumps(value)


def _tick_order(text: str) -> tuple:
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def _axis(path: str, column: list) -> dict:
    if all(is_number(value) for value in column):
        return {"name": path, "kind": "number", "values": column}
    texts = [_text(value) for value in column]
    ticks = sorted(set(texts), key=_tick_order)
    index = {text: position for position, text in enumerate(ticks)}
    return {
        "name": path,
        "kind": "category",
        "values": [index[text] for text in texts],
        "ticktext": ticks,
    }


def differing_axes(configurations: list[dict]) -> list[dict]:
    leaves = [flat_leaves(configuration or {}) for configuration in configurations]
    paths = sorted(set().union(*leaves)) if leaves else []
    axes = []
    for path in paths:
        column = [row.get(path, _MISSING) for row in leaves]
        if len({_text(value) for value in column}) > 1:
            axes.append(_axis(path, column))
    return axes


def parallel_data(section: Section, *, max_axes: int | None = MAX_AXES) -> dict:
    """Rows are the versions that have the metric; the others are listed as `missing`."""
    kept = [(i, v) for i, v in enumerate(section.versions) if v.id in section.pc_values]
    axes = differing_axes([version.configuration for _, version in kept])
    return {
        "metric": section.pc,
        "title": pc_title(section.pc),
        "versions": [index for index, _ in kept],
        "axes": axes[:max_axes] if max_axes else axes,
        "truncated": bool(max_axes) and len(axes) > max_axes,
        "values": [section.pc_values[version.id] for _, version in kept],
        "missing": [i for i, v in enumerate(section.versions) if v.id not in section.pc_values],
    }
