"""The evaluation jobs, in the worker.

`run_evaluation_job` (queued by evaluation.services.model_evaluate: the Evaluate
button, POST /models/{id}/evaluate) predicts the items in id order with the
package's adapter, stores the predictions through `predictions_add`, then
`evaluation_compute`s the metrics. Prediction takes the first 80 % of the
progress bar, the computation the rest. `run_compute_job` only computes: the
finish of an offline evaluation, whose predictions were uploaded.
"""

import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from data.models import Item
from evaluation import services as evaluation_services
from evaluation.models import Evaluation, EvaluationStatus
from jobs import services as job_services
from jobs.models import Job
from worker.data import item_image
from worker.predictions import prediction_rows
from worker.training import build_adapter, fetch_artifacts, heartbeat

ITEM_CHUNK = 500  # items read from the database (and images decoded) at a time
ROWS_PER_ADD = 10_000  # predictions_add takes at most this many rows per call
PREDICT_SHARE = 80.0  # percent of the progress bar for predicting; the rest is computing


class EvaluationCancelled(Exception):
    """The job was cancelled while the adapter was predicting."""


# --- Online: predict the subset, then compute ---------------------------------------


def run_evaluation_job(job_id: int, worker: str) -> None:
    job = job_services.job_start(job_id=job_id, worker=worker)
    if job is None:
        return  # cancelled while queued, or already taken by another delivery
    evaluation_id = job.parameters["evaluation"]
    with heartbeat(job.id):
        try:
            evaluate(job, Evaluation.objects.select_related("dataset").get(pk=evaluation_id))
        except EvaluationCancelled:
            _say(job, "stopped: the job was cancelled")
            _evaluation_failed(evaluation_id, "The evaluate job was cancelled.")
            job_services.job_cancelled(job_id=job.id)
        except BaseException as error:  # SoftTimeLimitExceeded too: nothing stays running
            _say(job, f"failed: {error!r}")
            _evaluation_failed(evaluation_id, f"{type(error).__name__}: {error}")
            job_services.job_fail(job_id=job.id, error=traceback.format_exc())
            if not isinstance(error, Exception):
                raise
        else:
            job_services.job_succeed(job_id=job.id)


def evaluate(job: Job, evaluation: Evaluation) -> None:
    # Running from the first prediction on, so the pages never show "accepting predictions".
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.RUNNING)
    evaluation.status = EvaluationStatus.RUNNING
    adapter = build_adapter(job.model)
    _say(job, f"adapter {job.model.package.adapter}, batches of {adapter.batch_size}")
    with tempfile.TemporaryDirectory(prefix="modelyard-eval-") as folder:
        fetch_artifacts(job.model, Path(folder))
        adapter.load(folder)
    stored = predict_items(job, evaluation, adapter)
    _say(job, f"stored {stored} predictions; computing the metrics")
    evaluation_services.evaluation_compute(evaluation=evaluation, progress=_compute_progress(job))


def predict_items(job: Job, evaluation: Evaluation, adapter) -> int:
    """Predict every item of the subset; returns how many predictions were stored."""
    total = evaluation_items(evaluation).count()
    known = set(evaluation.dataset.labels.values_list("name", flat=True))
    pending: list[dict] = []
    stored = done = 0
    for batch in item_batches(evaluation, max(int(adapter.batch_size), 1)):
        found = adapter.predict([item_image(item) for item in batch])
        for item, predictions in zip(batch, found, strict=True):
            pending.extend(prediction_rows(item, predictions, known))
        while len(pending) >= ROWS_PER_ADD:
            stored += _add(evaluation, pending[:ROWS_PER_ADD])
            pending = pending[ROWS_PER_ADD:]
        done += len(batch)
        _report_predicting(job, done, total)
    if pending:
        stored += _add(evaluation, pending)
    return stored


def evaluation_items(evaluation: Evaluation):
    items = Item.objects.filter(dataset_id=evaluation.dataset_id)
    return items.filter(subset=evaluation.subset) if evaluation.subset else items


def item_batches(evaluation: Evaluation, size: int) -> Iterator[list[Item]]:
    """The subset's items in id order, `size` at a time, read ITEM_CHUNK rows per query."""
    last_id = 0
    while True:
        # Keyset paging: an OFFSET would rescan the skipped rows on every chunk.
        rows = evaluation_items(evaluation).filter(id__gt=last_id).order_by("id")
        chunk = list(rows[:ITEM_CHUNK])
        if not chunk:
            return
        last_id = chunk[-1].id
        for start in range(0, len(chunk), size):
            yield chunk[start : start + size]


def _add(evaluation: Evaluation, rows: list[dict]) -> int:
    added = evaluation_services.predictions_add(evaluation=evaluation, rows=rows)
    return added if isinstance(added, int) else len(rows)


def _report_predicting(job: Job, done: int, total: int) -> None:
    percent = PREDICT_SHARE * done / max(total, 1)
    message = f"predicted {done} of {total} images"
    if job_services.job_report(job_id=job.id, progress=percent, message=message):
        raise EvaluationCancelled(message)


def _compute_progress(job: Job):
    def progress(percent: float, message: str = "") -> None:
        share = 100.0 - PREDICT_SHARE
        done = PREDICT_SHARE + share * max(0.0, min(100.0, float(percent))) / 100.0
        job_services.job_report(job_id=job.id, progress=done, message=message or "computing")

    return progress


def _evaluation_failed(evaluation_id: int, error: str) -> None:
    # Set on the row directly: the evaluation services have no "fail" write.
    Evaluation.objects.filter(pk=evaluation_id).update(
        status=EvaluationStatus.FAILED, error=error[:5000], finished_at=timezone.now()
    )


def _say(job: Job, line: str) -> None:
    job_services.job_log(job_id=job.id, line=line)


# --- Offline: the predictions were uploaded; compute only -------------------------


def run_compute_job(job_id: int, worker: str) -> None:
    job = job_services.job_start(job_id=job_id, worker=worker)
    if job is None:
        return  # cancelled while queued, or already taken by another delivery
    evaluation = Evaluation.objects.select_related("dataset").get(pk=job.parameters["evaluation"])
    with heartbeat(job.id):
        try:
            evaluation_services.evaluation_compute(
                evaluation=evaluation, progress=_reporter(job_id)
            )
        except BaseException as error:  # SoftTimeLimitExceeded too: nothing stays running
            job_services.job_log(job_id=job_id, line=f"failed: {error!r}")
            job_services.job_fail(job_id=job_id, error=traceback.format_exc())
            if not isinstance(error, Exception):
                raise
        else:
            job_services.job_succeed(job_id=job_id)


def _reporter(job_id: int):
    def report(percent: float, message: str) -> None:
        job_services.job_report(job_id=job_id, progress=percent, message=message)
        job_services.job_log(job_id=job_id, line=message)

    return report
