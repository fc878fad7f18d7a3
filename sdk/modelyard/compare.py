"""Metric series of several models side by side (GET /api/v1/metrics/series)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from modelyard.entities.base import id_arg

if TYPE_CHECKING:
    from modelyard.entities.models import Model
    from modelyard.session import Session


def compare(
    client: Session,
    models: Sequence[Model | int | str],
    metrics: Sequence[str],
    max_points: int = 1000,
    as_dataframe: bool = False,
) -> Any:
    """The series, as dicts of columns, or a long pandas DataFrame (one row per point)."""
    params = {
        "models": ",".join(str(id_arg(model, "models")) for model in models),
        "names": ",".join(metrics),
        "max_points": max_points,
    }
    series = client.get("metrics/series", **params)["series"]
    return _dataframe(series) if as_dataframe else series


def _dataframe(series: list[dict[str, Any]]) -> Any:
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError("as_dataframe=True needs pandas: pip install pandas") from error
    columns = ["model", "name", "step", "value", "timestamp"]
    rows = [
        (one["model"], one["name"], step, value, stamp)
        for one in series
        for step, value, stamp in zip(one["steps"], one["values"], _stamps(one), strict=True)
    ]
    return pd.DataFrame(rows, columns=columns)


def _stamps(series: dict[str, Any]) -> list[Any]:
    return series.get("timestamps") or [None] * len(series["steps"])
