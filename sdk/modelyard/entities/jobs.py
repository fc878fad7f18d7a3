"""Jobs: one background execution on a worker (train, evaluate, predict)."""

from __future__ import annotations

import time
from typing import Any

from tqdm.auto import tqdm

from modelyard import errors
from modelyard.entities.base import Entity, Repository

FINISHED = frozenset({"succeeded", "failed", "cancelled"})


class Job(Entity):
    """A job: ``status`` is queued, running, succeeded, failed or cancelled; ``progress``
    goes from 0 to 100 with ``message`` saying what is happening; ``error`` holds the
    error and its traceback when it failed."""

    path = "jobs"
    kind: str
    status: str
    progress: float
    message: str
    error: str
    log: str
    model: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None
    #: What a finished predict job did: stored, failed, failures [{item, name, error}].
    outcome: dict
    #: Set by `Model.evaluate`: the evaluation the job fills.
    evaluation_id: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def wait(self, timeout: float | None = None, poll: float = 1.0, progress: bool = True) -> Job:
        """Poll until the job ends, with a progress bar; the job when it succeeded.

        Raises `errors.JobFailed` (with the server's error) or `errors.JobCancelled`,
        and `errors.JobTimeout` when ``timeout`` seconds pass first (the job goes on).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        label = f"{getattr(self, 'kind', 'job')} job {self.id}"
        with tqdm(total=100, disable=not progress, desc=label, unit="%") as bar:
            while True:
                _show(bar, self)
                if self.finished:
                    return self._outcome()
                if deadline is not None and time.monotonic() >= deadline:
                    raise errors.JobTimeout(f"{label} still {self.status} after {timeout} s.")
                _pause(poll, deadline)
                self.refresh()

    def cancel(self) -> Job:
        """Ask the worker to stop the job; it ends ``cancelled`` at its next safe point."""
        self._update(self.client.post(f"jobs/{self.id}/cancel"))
        return self

    def _outcome(self) -> Job:
        if self.status == "failed":
            raise errors.JobFailed(self, self.error or self.message or f"Job {self.id} failed.")
        if self.status == "cancelled":
            raise errors.JobCancelled(self, self.message or f"Job {self.id} was cancelled.")
        return self


def _pause(poll: float, deadline: float | None) -> None:
    left = poll if deadline is None else deadline - time.monotonic()
    time.sleep(max(0.0, min(poll, left)))


def _show(bar: Any, job: Job) -> None:
    target = max(0.0, min(100.0, float(job.progress or 0)))
    if target > bar.n:
        bar.update(target - bar.n)
    bar.set_postfix_str(f"{job.status}: {job.message}"[:80], refresh=True)


class Jobs(Repository[Job]):
    entity = Job
    noun = "job"

    def get(self, job_id: int | str) -> Job:
        """A job by id."""
        return self._by_id(job_id)
