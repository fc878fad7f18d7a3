"""Writes to the metrics store (see comparison/models.py for the layout)."""

import functools
import math
import numbers
import time
from collections.abc import Iterable

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from comparison.columns import Columns, chunk_columns, chunk_fill
from comparison.models import CHUNK_CAPACITY, OPEN_CHUNK_LIMIT, MetricChunk, MetricSeries
from comparison.models.metrics import SERIES_SUMMARY_FIELDS
from core.db import server_binding_cursor
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
        _compress_with_lz4()
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
    if not points:
        return {}
    batch = _columnwise(points)
    if batch is not None:
        return batch
    groups = _grouped(points)
    if groups is None:
        raise ValidationError(_errors_of(points))
    batch = {name: Columns.from_lists(*columns) for name, columns in groups.items()}
    if not all(_finite(columns) for columns in batch.values()):
        raise ValidationError(_errors_of(points))
    return batch


_NUMBER_TYPES = {float, int}
_TIMESTAMP_TYPES = {float, int, type(None)}


def _columnwise(points: list | tuple) -> dict[str, Columns] | None:
    """The batch checked and built a column at a time, when every point is plain JSON.

    This runs for every point the API and the worker log; checking ten thousand points
    one by one in Python took longer than parsing and storing them. Here each field is
    pulled out in one pass, its types checked as a set (bool is not int here, so True
    is not a step), names once per distinct name, and ranges and finiteness by numpy.
    None means something is unusual (a missing field, numpy numbers, NaN, a bad name):
    the per-point checks of _grouped then accept it or name the bad point.
    """
    fields = _fields_of(points)
    if fields is None or not _plain(*fields):
        return None
    names, steps, values, timestamps = fields
    distinct = list(dict.fromkeys(names))
    if any(_name_error(name) for name in distinct):
        return None
    columns = _numeric_columns(steps, values, timestamps)
    if columns is None:
        return None
    if len(distinct) == 1:
        return {distinct[0]: columns.sorted()}
    code_of = {name: code for code, name in enumerate(distinct)}
    codes = np.fromiter(map(code_of.__getitem__, names), dtype=np.intp, count=len(names))
    return dict(zip(distinct, columns.split(codes, len(distinct)), strict=True))


def _fields_of(points: list | tuple) -> tuple[list, list, list, list] | None:
    try:
        return (
            [point["name"] for point in points],
            [point["step"] for point in points],
            [point["value"] for point in points],
            [point.get("timestamp") for point in points],
        )
    except (TypeError, KeyError, AttributeError):  # a point that is not an object, a field missing
        return None


def _plain(names: list, steps: list, values: list, timestamps: list) -> bool:
    return (
        set(map(type, names)) <= {str}
        and set(map(type, steps)) <= {int}
        and set(map(type, values)) <= _NUMBER_TYPES
        and set(map(type, timestamps)) <= _TIMESTAMP_TYPES
    )


def _numeric_columns(steps: list, values: list, timestamps: list) -> Columns | None:
    """The numbers as (unsorted) columns; None if a step or a number is out of range."""
    if None in timestamps:
        now = time.time()
        timestamps = [now if timestamp is None else timestamp for timestamp in timestamps]
    try:
        columns = Columns.from_lists(steps, values, timestamps, sort=False)
    except OverflowError:  # a step past 2**63, or an int too large for a float
        return None
    return columns if columns.steps.min() >= 0 and _finite(columns) else None


def _grouped(points: list[dict]) -> dict[str, tuple[list, list, list]] | None:
    """Steps, values and timestamps per name, each point checked; None if one is malformed."""
    groups: dict[str, tuple[list, list, list]] = {}
    now = time.time()
    for point in points:
        if _point_errors(point):
            return None
        columns = groups.setdefault(point["name"], ([], [], []))
        columns[0].append(point["step"])
        columns[1].append(point["value"])
        timestamp = point.get("timestamp")
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
    new_chunks: list[MetricChunk] = []
    changed_chunks: list[MetricChunk] = []
    for name, columns in batch.items():
        series = series_by_name[name]
        chunk = open_chunks.get(series.open_chunk_id)
        if chunk is not None and chunk.count + len(columns) <= CHUNK_CAPACITY:
            merged = Columns.concat([chunk_columns(chunk), columns])
            changed_chunks.append(chunk_fill(chunk, merged))
        else:
            new_chunks.append(chunk_fill(MetricChunk(series=series), columns))
        _summary_fold(series, columns)
    _write_chunks(new=new_chunks, changed=changed_chunks)
    for chunk in new_chunks:
        chunk.series.open_chunk_id = chunk.id
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


SUMMARY_FIELDS = [*SERIES_SUMMARY_FIELDS, "open_chunk_id"]


def _save_summaries(series: Iterable[MetricSeries]) -> None:
    # One statement run once per series: pipelined on PostgreSQL, a C loop on SQLite.
    # Five ORM saves cost more in Python and round trips than the rows' writes.
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(field)} = %s" for field in [*SUMMARY_FIELDS, "updated_at"])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(*(getattr(row, field) for field in SUMMARY_FIELDS), now, row.pk) for row in series]
    table = quote(MetricSeries._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


# --- Chunk rows -------------------------------------------------------------


def _compress_with_lz4() -> None:
    """On PostgreSQL, have this transaction compress the chunk arrays with lz4, not pglz.

    PostgreSQL compresses every bytea over 2 kB. pglz spent about 15 ms of server time
    per 10,000 points on the step and timestamp arrays, most of a request's write; lz4
    takes about 1 ms. Servers built without lz4 (or before 14) keep pglz.
    """
    if connection.vendor != "postgresql":
        return
    if _lz4_available(connection.settings_dict["HOST"], connection.settings_dict["PORT"]):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")


@functools.cache
def _lz4_available(host: str, port: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


# The columns of a chunk row, and whether each travels as a binary parameter.
CHUNK_COLUMNS = {
    "series_id": False,
    "first_step": False,
    "last_step": False,
    "count": False,
    "steps": True,
    "values": True,
    "timestamps": True,
}


def _write_chunks(*, new: list[MetricChunk], changed: list[MetricChunk]) -> None:
    """Insert the new chunks (setting their ids) and rewrite the changed ones."""
    if connection.vendor == "postgresql":
        _write_chunks_postgresql(new=new, changed=changed)
        return
    MetricChunk.objects.bulk_create(new)
    for chunk in changed:
        chunk.save()


def _write_chunks_postgresql(*, new: list[MetricChunk], changed: list[MetricChunk]) -> None:
    # The packed arrays go as binary parameters through a server-side-binding cursor
    # on Django's connection (so inside its transaction). Django's own cursor binds on
    # the client, writing every array as a hex literal for the server to parse back:
    # four times as long as the binary write for a 10,000-point request.
    quote = connection.ops.quote_name
    table = quote(MetricChunk._meta.db_table)
    marks = {name: "%b" if binary else "%s" for name, binary in CHUNK_COLUMNS.items()}
    with server_binding_cursor() as cursor:
        if new:
            names = ", ".join(quote(name) for name in CHUNK_COLUMNS)
            rows = ", ".join([f"({', '.join(marks.values())})"] * len(new))
            params = [value for chunk in new for value in _chunk_row(chunk)]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {rows} RETURNING id", params)
            # RETURNING gives the ids in the order of VALUES; bulk_create relies on it too.
            for chunk, (chunk_id,) in zip(new, cursor.fetchall(), strict=True):
                chunk.pk = chunk_id
                chunk._state.adding = False
        if changed:
            sets = ", ".join(f"{quote(name)} = {mark}" for name, mark in marks.items())
            rows = [(*_chunk_row(chunk), chunk.pk) for chunk in changed]
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _chunk_row(chunk: MetricChunk) -> tuple:
    return tuple(getattr(chunk, name) for name in CHUNK_COLUMNS)
