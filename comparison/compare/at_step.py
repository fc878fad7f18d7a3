"""The value of many series at one step, reading only the chunks that can hold it."""

from collections.abc import Sequence

import numpy as np
from django.db.models import OuterRef, Subquery

from comparison.columns import FLOAT_DTYPE, STEP_DTYPE
from comparison.models import MetricChunk

# Chunk rows fetched per round trip (each at most ~160 kB of steps and values).
_CHUNK_FETCH = 32


def values_at_step(*, series_ids: Sequence[int], step: int) -> dict[int, tuple[int, float]]:
    """{series id: (step, value)} of the last point at or before `step`, in one query.

    A series' answer lies in its chunk starting last at or before `step`, unless a chunk
    logged out of order overlaps it; so the query takes the chunks that start at or
    before `step` and end at or after that latest start, which is usually one chunk per
    series. Of several points at the same step, the last logged wins.
    """
    if not series_ids:
        return {}
    latest_start = (
        MetricChunk.objects.filter(series_id=OuterRef("series_id"), first_step__lte=step)
        .order_by("-first_step")
        .values("first_step")[:1]
    )
    chunks = (
        MetricChunk.objects.filter(series_id__in=series_ids, first_step__lte=step)
        .filter(last_step__gte=Subquery(latest_start))
        .order_by("series_id", "id")
        .only("series_id", "steps", "values")
    )
    found: dict[int, tuple[int, float]] = {}
    for chunk in chunks.iterator(chunk_size=_CHUNK_FETCH):
        point = _last_point_until(chunk, step)
        current = found.get(chunk.series_id)
        if point is not None and (current is None or point[0] >= current[0]):
            found[chunk.series_id] = point
    return found


def _last_point_until(chunk: MetricChunk, step: int) -> tuple[int, float] | None:
    steps = np.frombuffer(chunk.steps, dtype=STEP_DTYPE)
    index = int(np.searchsorted(steps, step, side="right")) - 1
    if index < 0:
        return None
    value = np.frombuffer(chunk.values, dtype=FLOAT_DTYPE)[index]
    return int(steps[index]), float(value)
