"""The data behind the page as CSV, produced lazily so a response can stream it.

Producers yield blocks of rows (one series, or a whole small table); each block is
written as one piece of the response, so a million-row download is a few thousand
pieces and never more than one series in memory.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from comparison.compare.summary import STATS
from comparison.models import MetricSeries
from comparison.selectors import series_points_many
from registry.models import ModelVersion

SERIES_HEADER = ["version_id", "version", "metric", "step", "timestamp", "value", "total_points"]
# A cell starting with one of these is a formula to a spreadsheet: it is quoted as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_pieces(blocks: Iterable[list[list]]) -> Iterator[str]:
    for rows in blocks:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        yield buffer.getvalue()


def text(cell: str) -> str:
    """User text as a spreadsheet shows it, never as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def series_rows(
    *, versions: Sequence[ModelVersion], series: Sequence[MetricSeries], max_points: int | None
) -> Iterator[list[list]]:
    """The points of `series`, downsampled like the charts to `max_points` (None: every
    stored point). One series is in memory at a time, so rows come in storage order."""
    names = {version.id: text(version.name) for version in versions}
    yield [SERIES_HEADER]
    if max_points is None:
        # Big enough never to downsample.
        max_points = max((row.point_count for row in series), default=1) + 1
    for row, points in series_points_many(series=series, max_points=max_points):
        fixed = (row.model_id, names[row.model_id], text(row.name))
        columns = zip(points["steps"], points["timestamps"], points["values"], strict=True)
        yield [(*fixed, *point, points["total_points"]) for point in columns]


def summary_rows(table: dict) -> Iterator[list[list]]:
    titles = dict(STATS, at=f"at step {table['at']}")
    rows = [["version_id", "version", "metric", "better", "statistic", "value", "step", "best"]]
    for row in table["rows"]:
        cells = iter(row["cells"])
        for metric in table["metrics"]:
            better = "lower" if metric["better"] == "min" else "higher"
            for stat in metric["stats"]:
                cell = next(cells)
                version = row["version"]
                rows.append(
                    [
                        version.id,
                        text(version.name),
                        text(metric["name"]),
                        better,
                        titles[stat],
                        cell.value,
                        cell.step,
                        int(cell.best),
                    ]
                )
    yield rows


def config_rows(*, versions: Sequence[ModelVersion], table: dict) -> Iterator[list[list]]:
    rows = [["parameter", *(text(f"{version.name} (#{version.id})") for version in versions)]]
    for row in table["rows"]:
        values = ("" if value is None else _config_cell(value) for value in row["values"])
        rows.append([text(row["key"]), *values])
    yield rows


def _config_cell(value: str) -> str:
    # A negative number is a number, not a formula.
    try:
        float(value)
    except ValueError:
        return text(value)
    return value
