"""The summary table: per version and metric the last, min, max and value at a step.

The best value of each column is marked; whether lower or higher is better is the
user's call per metric (`better=`), guessed from the name until they say.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from comparison.compare.at_step import values_at_step
from comparison.models import MetricSeries
from registry.models import ModelVersion

STATS = (("last", "Last"), ("min", "Min"), ("max", "Max"))
# Names that usually go down as a model gets better.
LOWER_IS_BETTER = re.compile(r"loss|err|mse|mae|rmse|wer|cer|perplexity|nll|time|latency", re.I)


@dataclass(frozen=True)
class Cell:
    value: float | None
    best: bool = False
    # For the value at a step: the step it was logged at (at or before the asked one).
    step: int | None = None


def better_for(name: str, chosen: dict[str, str]) -> str:
    if name in chosen:
        return chosen[name]
    return "min" if LOWER_IS_BETTER.search(name) else "max"


def summary_table(
    *,
    versions: Sequence[ModelVersion],
    names: Sequence[str],
    summaries: dict[tuple[int, str], MetricSeries],
    better: dict[str, str],
    at: int | None,
) -> dict:
    """{"metrics": [{"name", "better", "stats"}], "rows": [{"version", "index", "cells"}]}."""
    at_values = _at_values(summaries, at)
    stats = [key for key, _ in STATS] + (["at"] if at is not None else [])
    columns = []
    for name in names:
        way = better_for(name, better)
        for stat in stats:
            cells = [_cell(summaries.get((v.id, name)), stat, at_values) for v in versions]
            columns.append(_marked(cells, way))
    rows = [
        {"version": version, "index": index, "cells": [column[index] for column in columns]}
        for index, version in enumerate(versions)
    ]
    metrics = [{"name": name, "better": better_for(name, better), "stats": stats} for name in names]
    return {"metrics": metrics, "rows": rows, "stats": stats, "at": at}


def _at_values(summaries: dict, at: int | None) -> dict[int, tuple[int, float]]:
    if at is None:
        return {}
    return values_at_step(series_ids=[row.id for row in summaries.values()], step=at)


def _cell(series: MetricSeries | None, stat: str, at_values: dict) -> Cell:
    if series is None:
        return Cell(None)
    if stat == "at":
        step, value = at_values.get(series.id, (None, None))
        return Cell(value, step=step)
    return Cell(getattr(series, f"{stat}_value"))


def _marked(cells: list[Cell], way: str) -> list[Cell]:
    values = [cell.value for cell in cells if cell.value is not None]
    if len(values) < 2:
        return cells
    best = min(values) if way == "min" else max(values)
    return [Cell(cell.value, cell.value == best, cell.step) for cell in cells]
