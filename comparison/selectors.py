"""Reads from the metrics store: series summaries and downsampled points."""

import contextlib
from collections.abc import Iterator, Sequence
from itertools import groupby
from operator import attrgetter

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from tsdownsample import MinMaxLTTBDownsampler

from comparison.columns import Columns, chunk_columns, packed_columns
from comparison.models import MetricChunk, MetricPreview, MetricSeries
from registry.models import ModelStatus, ModelVersion

DEFAULT_MAX_POINTS = 1_000
# The sizes kept as previews: the default and the round sizes a user picks. Any other
# size is downsampled on each read, so odd sizes cannot pile up rows per series.
PREVIEW_SIZES = frozenset({250, 500, DEFAULT_MAX_POINTS, 2_000, 5_000, 10_000})
# MinMaxLTTB needs at least 3 output points; we add the global min and max to them.
_LTTB_MIN_OUT = 3
# Chunk rows fetched per round trip while streaming (~240 kB each at most).
_CHUNK_FETCH = 32
# The model page draws at most this many series; the comparison view is for more.
MODEL_PAGE_MAX_SERIES = 100
LIVE_STATUSES = (ModelStatus.QUEUED, ModelStatus.TRAINING)


def series_for_model(*, model: ModelVersion) -> QuerySet[MetricSeries]:
    """The model's series with their summaries, by name; no point is read."""
    return MetricSeries.objects.filter(model=model).order_by("name")


def series_last_steps(*, model: ModelVersion) -> dict[str, int]:
    """Each of the model's series and the highest step it holds."""
    rows = MetricSeries.objects.filter(model=model, last_step__isnull=False)
    return dict(rows.values_list("name", "last_step"))


def series_points(
    series: MetricSeries,
    max_points: int = DEFAULT_MAX_POINTS,
    start: int | None = None,
    end: int | None = None,
) -> dict:
    """One series' points in [start, end] (steps), downsampled to at most `max_points`."""
    [(_, points)] = series_points_many(series=[series], max_points=max_points, start=start, end=end)
    return points


def series_points_many(
    *,
    series: Sequence[MetricSeries],
    max_points: int = DEFAULT_MAX_POINTS,
    start: int | None = None,
    end: int | None = None,
) -> Iterator[tuple[MetricSeries, dict]]:
    """(series, points) for every series, reading all their chunks in one streamed query.

    Only one series' raw points are in memory at a time, so hundreds of million-point
    series cost one series' worth of memory plus the downsampled answers. A whole
    series (no start or end) comes from its preview at this size when it is fresh.
    """
    if start is None and end is None and max_points in PREVIEW_SIZES:
        yield from _previewed(series, max_points)
        return
    for row, columns, total in _downsampled(series, max_points, start, end):
        yield row, _as_points(columns, total)


def _downsampled(series: Sequence[MetricSeries], max_points: int, start, end):
    """(series, downsampled columns, points before downsampling) for every series."""
    by_id = {row.id: row for row in series}
    seen = set()
    chunks = _chunks_between(series_ids=list(by_id), start=start, end=end)
    for series_id, group in groupby(chunks, key=attrgetter("series_id")):
        seen.add(series_id)
        columns = Columns.concat(chunk_columns(chunk) for chunk in group).between(start, end)
        yield by_id[series_id], _downsample(columns, max_points), len(columns)
    for series_id in by_id.keys() - seen:
        yield by_id[series_id], Columns.empty(), 0


def _previewed(series: Sequence[MetricSeries], max_points: int):
    """Fresh previews as they are; the other series downsampled from their chunks, and
    their previews kept for the next read."""
    by_id = {row.id: row for row in series}
    fresh = MetricPreview.objects.filter(
        series_id__in=list(by_id), max_points=max_points, point_count=F("series__point_count")
    )
    done = set()
    for preview in fresh:
        done.add(preview.series_id)
        yield by_id[preview.series_id], _as_points(chunk_columns(preview), preview.point_count)
    made = []
    stale = [row for row in series if row.id not in done]
    for row, columns, total in _downsampled(stale, max_points, None, None):
        if total:
            made.append(_preview(row, max_points, columns, total))
        yield row, _as_points(columns, total)
    _keep_previews(made)


def _preview(row: MetricSeries, max_points: int, columns: Columns, total: int) -> MetricPreview:
    return MetricPreview(
        series=row, max_points=max_points, point_count=total, **packed_columns(columns)
    )


def _keep_previews(previews: list[MetricPreview]) -> None:
    # A cache: a series deleted meanwhile, or another reader's write, is no error.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        MetricPreview.objects.bulk_create(
            previews,
            update_conflicts=True,
            unique_fields=["series", "max_points"],
            update_fields=["point_count", "steps", "values", "timestamps"],
        )


def comparison_series(
    *,
    models: Sequence[ModelVersion],
    names: Sequence[str] | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    start: int | None = None,
    end: int | None = None,
) -> list[dict]:
    """The series a comparison chart draws, in the order of `models`, then of `names`.

    A model without a series of a requested name simply has no entry for it.
    """
    rows = MetricSeries.objects.filter(model__in=models).only("id", "model_id", "name")
    if names is not None:
        rows = rows.filter(name__in=names)
    answers = [
        {"model": row.model_id, "name": row.name, **points}
        for row, points in series_points_many(
            series=list(rows), max_points=max_points, start=start, end=end
        )
    ]
    model_rank = {model.id: rank for rank, model in enumerate(models)}
    name_rank = {name: rank for rank, name in enumerate(names or [])}
    answers.sort(key=lambda s: (model_rank[s["model"]], name_rank.get(s["name"], 0), s["name"]))
    return answers


def model_metric_charts(*, model: ModelVersion, max_points: int = DEFAULT_MAX_POINTS) -> dict:
    """What the model page's charts draw: one figure per name group, one trace per name.

    `loss/train` and `loss/val` share the figure `loss` with the legends `train` and
    `val`; `live` says the model is queued or training, so the charts keep refreshing.
    """
    summaries = list(series_for_model(model=model)[: MODEL_PAGE_MAX_SERIES + 1])
    shown = summaries[:MODEL_PAGE_MAX_SERIES]
    figures: dict[str, list[dict]] = {}
    for row, points in sorted(
        series_points_many(series=shown, max_points=max_points), key=lambda pair: pair[0].name
    ):
        trace = {"name": row.name, "legend": row.legend, **points}
        figures.setdefault(row.figure, []).append(trace)
    return {
        "figures": [{"name": name, "traces": traces} for name, traces in figures.items()],
        "live": model.status in LIVE_STATUSES,
        "truncated": len(summaries) > MODEL_PAGE_MAX_SERIES,
        "series_limit": MODEL_PAGE_MAX_SERIES,
    }


# --- Reading and downsampling --------------------------------------------


def _chunks_between(*, series_ids: list[int], start: int | None, end: int | None):
    chunks = MetricChunk.objects.filter(series_id__in=series_ids)
    if start is not None:
        chunks = chunks.filter(last_step__gte=start)
    if end is not None:
        chunks = chunks.filter(first_step__lte=end)
    chunks = chunks.order_by("series_id", "first_step", "id")
    return chunks.only("series_id", "steps", "values", "timestamps").iterator(
        chunk_size=_CHUNK_FETCH
    )


def _downsample(columns: Columns, max_points: int) -> Columns:
    if len(columns) > max_points:
        return columns.take(kept_indices(columns, max_points))
    return columns


def _as_points(columns: Columns, total: int) -> dict:
    return {
        "total_points": total,
        "steps": columns.steps.tolist(),
        "values": columns.values.tolist(),
        "timestamps": columns.timestamps.tolist(),
    }


def kept_indices(columns: Columns, max_points: int) -> np.ndarray:
    """At most `max_points` indices, always the first, last, global min and max point.

    MinMaxLTTB keeps the shape and the spikes; it always keeps the first and last
    point but may drop a global extreme, so those two are added to its choice.
    """
    last = len(columns) - 1
    extremes = [0, last, int(np.argmax(columns.values)), int(np.argmin(columns.values))]
    if max_points - 2 < _LTTB_MIN_OUT:
        return np.unique(list(dict.fromkeys(extremes))[:max_points])
    picked = MinMaxLTTBDownsampler().downsample(columns.steps, columns.values, n_out=max_points - 2)
    return np.union1d(picked.astype(np.int64), extremes)
