"""Writes to the metrics store (see comparison/models.py for the layout)."""

import math
import numbers
import time
from collections.abc import Iterable

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from comparison.columns import Columns, chunk_columns, chunk_fill
from comparison.models import CHUNK_CAPACITY, OPEN_CHUNK_LIMIT, MetricChunk, MetricSeries
from registry.models import ModelVersion

MAX_POINTS_PER_CALL = 10_000
MAX_NAME_LENGTH = 250
MAX_STEP = 2**63 - 1
# Enough to fix a batch by; ten thousand copies of one mistake help nobody.
MAX_REPORTED_ERRORS = 20
_MISSING = object()


def metrics_log(*, model: ModelVersion, points: list[dict]) -> int:
    """Store points `{"name", "step", "value", "timestamp"?}` on the model; all or nothing.

    Every point is checked before anything is written; a bad one raises ValidationError
    keyed `metrics[<row>].<field>` (the API body's names) and nothing is stored.
    Returns how many points were stored.
    """
    batch = _batch_from_points(points)
    if not batch:
        return 0
    with transaction.atomic():
        series_by_name = _series_for_update(model=model, names=list(batch))
        _append(series_by_name=series_by_name, batch=batch)
    return len(points)


# --- Validation -----------------------------------------------------------


def _batch_from_points(points: list[dict]) -> dict[str, Columns]:
    """The points grouped by name as sorted columns, or ValidationError naming row and field."""
    if not isinstance(points, list | tuple):
        raise ValidationError({"metrics": "Send a list of points."})
    if len(points) > MAX_POINTS_PER_CALL:
        raise ValidationError(
            {"metrics": f"At most {MAX_POINTS_PER_CALL} points per request; got {len(points)}."}
        )
    groups = _grouped(points)
    if groups is None:
        raise ValidationError(_errors_of(points))
    batch = {name: Columns.from_lists(*columns) for name, columns in groups.items()}
    if not all(_finite(columns) for columns in batch.values()):
        raise ValidationError(_errors_of(points))
    return batch


def _grouped(points: list[dict]) -> dict[str, tuple[list, list, list]] | None:
    """Steps, values and timestamps per name; None if a point is malformed.

    This runs for every point the API and the worker log, so the usual shapes (a
    known name, an int step, float values) take a fast path of exact type checks,
    and finiteness is checked afterwards on whole numpy columns. Anything unusual
    goes through the full checks; the error messages come from _errors_of.
    """
    groups: dict[str, tuple[list, list, list]] = {}
    now = time.time()
    for point in points:
        if type(point) is not dict:
            return None
        name, step, value = point.get("name"), point.get("step"), point.get("value")
        timestamp = point.get("timestamp")
        columns = groups.get(name) if type(name) is str else None
        usual = (
            columns is not None
            and type(step) is int
            and 0 <= step <= MAX_STEP
            and type(value) is float
            and (timestamp is None or type(timestamp) is float)
        )
        if not usual:
            if _point_errors(point):
                return None
            columns = groups.setdefault(name, ([], [], []))
        columns[0].append(step)
        columns[1].append(value)
        columns[2].append(now if timestamp is None else timestamp)
    return groups


def _finite(columns: Columns) -> bool:
    return bool(np.isfinite(columns.values).all() and np.isfinite(columns.timestamps).all())


def _errors_of(points: list[dict]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for index, point in enumerate(points):
        problems = _point_errors(point)
        errors.update({f"metrics[{index}].{field}": text for field, text in problems.items()})
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    return errors


def _point_errors(point) -> dict[str, str]:
    if not isinstance(point, dict):
        return {"non_field_errors": 'A point is an object {"name", "step", "value"}.'}
    checks = {
        "name": _name_error(point.get("name", _MISSING)),
        "step": _step_error(point.get("step", _MISSING)),
        "value": _number_error(point.get("value", _MISSING)),
        "timestamp": _timestamp_error(point.get("timestamp")),
    }
    return {field: text for field, text in checks.items() if text}


def _name_error(name) -> str | None:
    if name is _MISSING or name is None:
        return "This field is required."
    if not isinstance(name, str) or not name.strip():
        return "A metric needs a name (a non-empty string)."
    if len(name) > MAX_NAME_LENGTH:
        return f"At most {MAX_NAME_LENGTH} characters; this name has {len(name)}."
    if "," in name or not name.isprintable():
        # Commas separate names in /metrics/series?names=; control characters break PostgreSQL.
        return "A metric name cannot contain commas or control characters."
    return None


def _step_error(step) -> str | None:
    if step is _MISSING or step is None:
        return "This field is required."
    if isinstance(step, bool) or not isinstance(step, numbers.Integral):
        return "A step is a whole number (0, 1, 2, ...)."
    if not 0 <= step <= MAX_STEP:
        return "A step is 0 or more (and below 2**63)."
    return None


def _number_error(value) -> str | None:
    if value is _MISSING or value is None:
        return "This field is required."
    # bool is an int in Python, but True as a metric value is a mistake, not 1.0.
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "A value is a number."
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    return None if finite else "A value is a finite number (not NaN or infinity)."


def _timestamp_error(timestamp) -> str | None:
    if timestamp is None:
        return None
    problem = _number_error(timestamp)
    return problem and "A timestamp is a finite number of seconds since 1970."


# --- Writing --------------------------------------------------------------


def _series_for_update(*, model: ModelVersion, names: list[str]) -> dict[str, MetricSeries]:
    """The model's series of these names, created where missing, locked for this transaction."""
    existing = _locked_series(model=model, names=names)
    missing = [MetricSeries(model=model, name=name) for name in names if name not in existing]
    if missing:
        # ON CONFLICT DO NOTHING: a concurrent writer may create the same series first;
        # either way the rows exist afterwards and are read back, locked.
        MetricSeries.objects.bulk_create(missing, ignore_conflicts=True)
        existing = _locked_series(model=model, names=names)
    return existing


def _locked_series(*, model: ModelVersion, names: list[str]) -> dict[str, MetricSeries]:
    # select_for_update serializes two writers of one series on PostgreSQL (SQLite
    # already runs one write transaction at a time), so the open chunk is not lost.
    rows = MetricSeries.objects.select_for_update().filter(model=model, name__in=names)
    return {series.name: series for series in rows}


def _append(*, series_by_name: dict[str, MetricSeries], batch: dict[str, Columns]) -> None:
    open_chunks = _open_chunks(series_by_name.values())
    new_chunks: list[tuple[MetricSeries, MetricChunk]] = []
    for name, columns in batch.items():
        series = series_by_name[name]
        chunk = open_chunks.get(series.open_chunk_id)
        if chunk is not None and chunk.count + len(columns) <= CHUNK_CAPACITY:
            merged = Columns.concat([chunk_columns(chunk), columns])
            chunk_fill(chunk, merged).save()
        else:
            new_chunks.append((series, chunk_fill(MetricChunk(series=series), columns)))
        _summary_fold(series, columns)
    MetricChunk.objects.bulk_create([chunk for _, chunk in new_chunks])
    for series, chunk in new_chunks:
        series.open_chunk_id = chunk.id
    _save_summaries(series_by_name.values())


def _open_chunks(series: Iterable[MetricSeries]) -> dict[int, MetricChunk]:
    """The chunks still small enough to take more points, by id."""
    ids = [row.open_chunk_id for row in series if row.open_chunk_id is not None]
    if not ids:
        return {}
    chunks = MetricChunk.objects.filter(id__in=ids, count__lt=OPEN_CHUNK_LIMIT)
    return {chunk.id: chunk for chunk in chunks}


def _summary_fold(series: MetricSeries, columns: Columns) -> None:
    """Fold a batch (sorted by step) into the series' summary fields."""
    empty = series.point_count == 0
    batch_last_step = int(columns.steps[-1])
    if empty or batch_last_step >= series.last_step:
        # The last point of a stable sort is the latest logged at the highest step.
        series.last_step = batch_last_step
        series.last_value = float(columns.values[-1])
    batch_first = int(columns.steps[0])
    series.first_step = batch_first if empty else min(series.first_step, batch_first)
    series.min_value = _fold(min, series.min_value, float(columns.values.min()))
    series.max_value = _fold(max, series.max_value, float(columns.values.max()))
    series.last_timestamp = _fold(max, series.last_timestamp, float(columns.timestamps.max()))
    series.point_count += len(columns)


def _fold(pick, current: float | None, new: float) -> float:
    return new if current is None else pick(current, new)


SUMMARY_FIELDS = [
    "point_count",
    "first_step",
    "last_step",
    "last_value",
    "min_value",
    "max_value",
    "last_timestamp",
    "open_chunk_id",
    "updated_at",
]


def _save_summaries(series: Iterable[MetricSeries]) -> None:
    # One UPDATE per series: bulk_update's CASE expressions cost more to build in
    # Python than the handful of statements they would save.
    for row in series:
        row.save(update_fields=SUMMARY_FIELDS)
