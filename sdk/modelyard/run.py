"""Offline mode: log metrics from any training loop; a background thread sends them.

``log()`` only appends to an in-memory queue, so it costs microseconds. A sender
thread posts batches of up to 10,000 points to ``POST /api/v1/models/{id}/metrics``
when a batch is full or every ``flush_interval`` seconds, retrying transient errors
(connection errors, 429, 5xx) with exponential backoff. The queue is bounded: only
when ``max_pending`` points wait unsent does ``log()`` block until the sender
catches up. Leaving the ``with`` block (normally or by an exception) flushes.
"""

from __future__ import annotations

import math
import random
import threading
import time
import warnings
from collections import deque
from collections.abc import Mapping
from types import TracebackType
from typing import Protocol

from modelyard import errors
from modelyard.session import Session

MAX_BATCH = 10_000
MAX_NAME = 250
TRANSIENT = (errors.ConnectionFailed, errors.ServerError)
Point = tuple[str, int, float, float]  # name, step, value, wall time


class Logged(Protocol):
    """What a run logs to: a model version (`modelyard.Model`), by its id and client."""

    id: int
    client: Session


class Run:
    """Metrics of one model version, sent in the background. Use it as a context manager."""

    def __init__(
        self,
        model: Logged,
        *,
        batch_size: int = MAX_BATCH,
        flush_interval: float = 1.0,
        max_pending: int = 500_000,
        max_retries: int = 8,
    ) -> None:
        self.model = model
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self.flush_interval = flush_interval
        self.max_pending = max(max_pending, self.batch_size)
        self.max_retries = max_retries
        self.sent = 0
        self.dropped = 0
        self._client = model.client.copy(retries=0)  # a session of its own, for its thread
        self._pending: deque[Point] = deque()
        self._in_flight = 0
        self._urgent = False
        self._closing = False
        self._error: errors.MetricsNotSent | None = None
        self._next_step = 0
        self._warned: set[str] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"<Run model={self.model.id} sent={self.sent} pending={len(self._pending)}>"

    def __enter__(self) -> Run:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self.close()
        except errors.MetricsNotSent as lost:
            if error is None:
                raise
            warnings.warn(f"modelyard: {lost}", stacklevel=2)  # the block's error wins

    # --- the caller's side --------------------------------------------------------

    def start(self) -> None:
        """Start the sender thread (``with`` and the first ``log`` do it for you)."""
        with self._cond:
            if self._thread is None:
                name = f"modelyard-run-{self.model.id}"
                self._thread = threading.Thread(target=self._send_loop, name=name, daemon=True)
                self._thread.start()

    def log(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        """Queue values at a step (default: one more than the last step logged).

        Non-numbers raise TypeError, bad names or negative steps ValueError; NaN and
        infinite values are skipped (the server refuses them) with one warning per name.
        """
        step = self._next_step if step is None else int(step)
        if step < 0:
            raise ValueError(f"Steps are 0 or more, not {step}.")
        now = time.time()
        points = [self._point(name, value, step, now) for name, value in metrics.items()]
        self._next_step = step + 1
        if self._thread is None:
            self.start()
        with self._cond:
            while len(self._pending) >= self.max_pending and self._sender_alive():
                self._cond.wait()
            self._pending.extend(point for point in points if point is not None)
            if len(self._pending) >= self.batch_size:
                self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> None:
        """Block until every queued point is sent; raise `errors.MetricsNotSent` if some
        could not be."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._urgent = True
            self._cond.notify_all()
            while (self._pending or self._in_flight) and self._sender_alive():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise errors.ModelyardError(f"{len(self._pending)} points still queued.")
                self._cond.wait(left)
            if self._pending and not self._sender_alive():
                self._give_up_locked(len(self._pending), RuntimeError("the sender thread stopped"))
                self._pending.clear()
            self._raise_error()

    def close(self) -> None:
        """Flush and stop the sender thread (leaving the ``with`` block does this)."""
        try:
            self.flush()
        finally:
            with self._cond:
                self._closing = True
                self._cond.notify_all()
            if self._thread is not None:
                self._thread.join()

    def _point(self, name: str, value: float, step: int, now: float) -> Point | None:
        if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME:
            raise ValueError(f"Metric names have 1 to {MAX_NAME} characters: {name!r}.")
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or _numeric(value)):
            raise TypeError(f"{name}: {value!r} is not a number.")
        value = float(value)
        if math.isfinite(value):
            return (name, step, value, now)
        self.dropped += 1
        if name not in self._warned:
            self._warned.add(name)
            warnings.warn(f"modelyard: {name} = {value} skipped (not finite).", stacklevel=3)
        return None

    def _sender_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _raise_error(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    # --- the sender thread --------------------------------------------------------

    def _send_loop(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._send(batch)
            with self._cond:
                self._in_flight = 0
                self._cond.notify_all()

    def _next_batch(self) -> list[Point] | None:
        """Wait for a full batch, the interval, a flush or the end; take up to a batch."""
        deadline = time.monotonic() + self.flush_interval
        with self._cond:
            while not self._ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            if self._closing and not self._pending:
                return None
            count = min(len(self._pending), self.batch_size)
            batch = [self._pending.popleft() for _ in range(count)]
            self._in_flight = count
            self._urgent = self._urgent and bool(self._pending)
            self._cond.notify_all()  # wakes a caller blocked on a full queue
            return batch

    def _ready(self) -> bool:
        full = len(self._pending) >= self.batch_size
        return full or self._closing or (self._urgent and bool(self._pending))

    def _send(self, batch: list[Point]) -> None:
        if not batch:
            return
        rows = [{"name": n, "step": s, "value": v, "timestamp": t} for n, s, v, t in batch]
        body = {"metrics": rows}
        path = f"models/{self.model.id}/metrics"
        for attempt in range(self.max_retries + 1):
            try:
                self._client.request("POST", path, json=body, retry=False)
                self.sent += len(batch)
                return
            except errors.ModelyardError as error:
                if not _transient(error) or attempt == self.max_retries:
                    self._give_up(batch, error)
                    return
                time.sleep(min(0.5 * 2**attempt, 30.0) * random.uniform(0.5, 1.0))

    def _give_up(self, batch: list[Point], error: BaseException) -> None:
        with self._cond:
            self._give_up_locked(len(batch), error)

    def _give_up_locked(self, count: int, error: BaseException) -> None:
        lost = count + (self._error.points if self._error else 0)
        message = f"{lost} metric points of model {self.model.id} not sent: {error}"
        self._error = errors.MetricsNotSent(message, points=lost, cause=error)


def _transient(error: BaseException) -> bool:
    status = getattr(error, "status", None)
    return isinstance(error, TRANSIENT) or status == 429


def _numeric(value: object) -> bool:
    """numpy scalars and 0-d arrays (anything float() takes that is not a string)."""
    if isinstance(value, str | bytes):
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True
