"""The data behind each chart as CSV rows: the same functions build the charts' JSON."""

import csv
import io
from collections.abc import Callable

from comparison.compare_evaluations.charts import bars_data, by_version_data, heatmap_data
from comparison.compare_evaluations.parallel import parallel_data
from comparison.compare_evaluations.section import Section

# A spreadsheet runs a cell that starts like a formula; names are user text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _evaluation_cells(section: Section, version) -> list:
    row = section.chosen.get(version.id)
    if row is None:
        return ["", "", ""]
    return [row["id"], row["dataset__name"], row["subset"]]


def bars_rows(section: Section) -> list[list]:
    """Every version in the order of `models`; a version not evaluated has empty cells."""
    data = bars_data(section)
    values = {row["v"]: row["values"] for row in data["rows"]}
    header = ["model_id", "model", "evaluation_id", "dataset", "subset", *data["metrics"]]
    rows = [header]
    for index, version in enumerate(section.versions):
        numbers = values.get(index, [None] * len(data["metrics"]))
        rows.append([version.id, version.name, *_evaluation_cells(section, version), *numbers])
    return rows


def heatmap_rows(section: Section) -> list[list]:
    data = heatmap_data(section, label_limit=None)
    rows = [["model_id", "model", "label", *data["keys"]]]
    for row in data["rows"]:
        version = section.versions[row["v"]]
        for position, label in enumerate(data["labels"]):
            numbers = [row["values"][key][position] for key in data["keys"]]
            rows.append([version.id, version.name, label, *numbers])
    return rows


def by_version_rows(section: Section) -> list[list]:
    data = by_version_data(section)
    rows = [["position", "order", "model_id", "model", "parent_id", "created_at", *data["metrics"]]]
    for position, index in enumerate(data["versions"]):
        version = section.versions[index]
        numbers = [series[position] for series in data["values"]]
        created = version.created_at.isoformat()
        head = [position + 1, data["order"], version.id, version.name, version.parent_id or ""]
        rows.append([*head, created, *numbers])
    return rows


def _axis_cell(axis: dict, position: int):
    value = axis["values"][position]
    return axis["ticktext"][value] if axis["kind"] == "category" else value


def parallel_rows(section: Section) -> list[list]:
    """Category axes as their text, not the index the chart places them at."""
    data = parallel_data(section, max_axes=None)
    rows = [["model_id", "model", *(axis["name"] for axis in data["axes"]), data["title"]]]
    for position, index in enumerate(data["versions"]):
        version = section.versions[index]
        cells = [_axis_cell(axis, position) for axis in data["axes"]]
        rows.append([version.id, version.name, *cells, data["values"][position]])
    return rows


EXPORTS: dict[str, Callable[[Section], list[list]]] = {
    "bars": bars_rows,
    "heatmap": heatmap_rows,
    "by_version": by_version_rows,
    "parallel": parallel_rows,
}


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()
