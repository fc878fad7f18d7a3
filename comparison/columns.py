"""Points as three numpy columns, and their packed form inside a MetricChunk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from comparison.models import MetricChunk

# Fixed little-endian layouts, so a database written on one machine reads on any other.
STEP_DTYPE = np.dtype("<i8")
FLOAT_DTYPE = np.dtype("<f8")


@dataclass(frozen=True)
class Columns:
    steps: np.ndarray
    values: np.ndarray
    timestamps: np.ndarray

    def __len__(self) -> int:
        return len(self.steps)

    @classmethod
    def empty(cls) -> Columns:
        return cls(np.empty(0, STEP_DTYPE), np.empty(0, FLOAT_DTYPE), np.empty(0, FLOAT_DTYPE))

    @classmethod
    def from_lists(
        cls, steps: list, values: list, timestamps: list, *, sort: bool = True
    ) -> Columns:
        columns = cls(
            np.asarray(steps, dtype=STEP_DTYPE),
            np.asarray(values, dtype=FLOAT_DTYPE),
            np.asarray(timestamps, dtype=FLOAT_DTYPE),
        )
        return columns.sorted() if sort else columns

    @classmethod
    def concat(cls, parts: Iterable[Columns]) -> Columns:
        parts = [part for part in parts if len(part)]
        if not parts:
            return cls.empty()
        if len(parts) == 1:
            return parts[0]
        columns = cls(
            np.concatenate([part.steps for part in parts]),
            np.concatenate([part.values for part in parts]),
            np.concatenate([part.timestamps for part in parts]),
        )
        return columns.sorted()

    def sorted(self) -> Columns:
        """By step; a stable sort, so points logged at the same step keep their order."""
        if len(self) < 2 or bool(np.all(self.steps[1:] >= self.steps[:-1])):
            return self
        return self.take(np.argsort(self.steps, kind="stable"))

    def split(self, codes: np.ndarray, count: int) -> list[Columns]:
        """One Columns per code 0 .. count-1 (`codes[i]` is point i's), each sorted by step.

        The stable argsort keeps each group's points in the order they came, so points
        logged twice at one step stay in logging order.
        """
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(1, count))
        return [self.take(part).sorted() for part in np.split(order, bounds)]

    def take(self, indices: np.ndarray | slice) -> Columns:
        return Columns(self.steps[indices], self.values[indices], self.timestamps[indices])

    def between(self, start: int | None, end: int | None) -> Columns:
        """The points with start <= step <= end; the columns are sorted, so two bisections."""
        low = 0 if start is None else int(np.searchsorted(self.steps, start, side="left"))
        high = len(self) if end is None else int(np.searchsorted(self.steps, end, side="right"))
        return self if (low, high) == (0, len(self)) else self.take(slice(low, high))


def chunk_columns(chunk: MetricChunk) -> Columns:
    # PostgreSQL hands back memoryview, SQLite bytes: frombuffer reads both without a copy.
    return Columns(
        np.frombuffer(chunk.steps, dtype=STEP_DTYPE),
        np.frombuffer(chunk.values, dtype=FLOAT_DTYPE),
        np.frombuffer(chunk.timestamps, dtype=FLOAT_DTYPE),
    )


def chunk_fill(chunk: MetricChunk, columns: Columns) -> MetricChunk:
    """Write sorted columns into the chunk's fields (the caller saves it)."""
    chunk.first_step = int(columns.steps[0])
    chunk.last_step = int(columns.steps[-1])
    chunk.count = len(columns)
    for field, packed in packed_columns(columns).items():
        setattr(chunk, field, packed)
    return chunk


def packed_columns(columns: Columns) -> dict[str, bytes]:
    """The three columns in their stored layout, by field name (chunks and previews)."""
    return {
        "steps": columns.steps.astype(STEP_DTYPE, copy=False).tobytes(),
        "values": columns.values.astype(FLOAT_DTYPE, copy=False).tobytes(),
        "timestamps": columns.timestamps.astype(FLOAT_DTYPE, copy=False).tobytes(),
    }
