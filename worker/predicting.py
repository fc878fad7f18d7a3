"""Predictions in an inference worker: deploy warm-up, items in batches, one image.

Predictions on items are written a batch at a time (so they appear as they land), and
each batch replaces only this model's earlier predictions on those items, atomically;
ground truth and other models' predictions are never touched. An item the adapter
fails on fails alone: the job lists it with the reason and goes on.
"""

import base64
import io
import traceback

import numpy as np
from django.db import transaction
from PIL import Image

from data.models import Annotation, AnnotationKind, Item, Label
from jobs import services as job_services
from jobs.models import Job
from serving import services as deployment_services
from serving.models import Deployment, DeploymentState
from worker import serving
from worker.data import item_image
from worker.predictions import prediction_rows
from worker.training import heartbeat

MAX_FAILURES_KEPT = 200  # failed items listed on the job; the count is always exact


class PredictCancelled(Exception):
    """The job was cancelled between two batches."""


# --- Deploy ------------------------------------------------------------------------------


def run_warm_up(deployment_id: int, worker: str) -> None:
    """Load the deployed model into this process and set the deployment ready or failed."""
    deployment = (
        Deployment.objects.select_related("model__package").filter(pk=deployment_id).first()
    )
    if deployment is None or deployment.state != DeploymentState.STARTING:
        return  # undeployed before a worker took it
    try:
        serving.served_adapter(deployment.model, worker=worker)
    except serving.DeploymentGone:
        return
    except Exception as error:
        deployment_services.deployment_end(
            deployment=deployment,
            state=DeploymentState.FAILED,
            error=f"{type(error).__name__}: {error}\n{traceback.format_exc()}",
            reason=f"deployment {deployment.id} failed to load",
        )
        return
    deployment_services.deployment_ready(deployment_id=deployment.id, worker=worker)


# --- Items -----------------------------------------------------------------------------


def run_predict_items_job(job_id: int, worker: str) -> None:
    job = job_services.job_start(job_id=job_id, worker=worker)
    if job is None:
        return  # cancelled while queued, or already taken by another delivery
    with heartbeat(job.id):
        try:
            failed = predict_job_items(job, worker)
        except PredictCancelled:
            _say(job, "stopped: the job was cancelled")
            job_services.job_cancelled(job_id=job.id)
        except BaseException as error:  # SoftTimeLimitExceeded too: nothing stays running
            _say(job, f"failed: {error!r}")
            job_services.job_fail(job_id=job.id, error=traceback.format_exc())
            if not isinstance(error, Exception):
                raise
        else:
            total = len(job.parameters.get("items", []))
            if total and failed == total:
                job_services.job_fail(
                    job_id=job.id, error=f"Every one of the {total} items failed."
                )
            else:
                job_services.job_succeed(job_id=job.id)


def predict_job_items(job: Job, worker: str) -> int:
    """Predict the job's items; returns how many failed."""
    model = job.model
    adapter, warm = _adapter(job, worker)
    ids = list(job.parameters.get("items", []))
    size = max(int(getattr(adapter, "batch_size", 64) or 64), 1)
    labels = _LabelMaps()
    stored = failed = done = 0
    failures: list[dict] = []
    for start in range(0, len(ids), size):
        batch = list(Item.objects.filter(id__in=ids[start : start + size]).order_by("id"))
        found, errors = predict_batch(adapter, batch)
        stored += predictions_replace(model_id=model.id, found=found, labels=labels)
        for item, error in errors:
            failed += 1
            if len(failures) < MAX_FAILURES_KEPT:
                failures.append({"item": item.id, "name": item.name, "error": error})
            _say(job, f"item {item.id} ({item.name}) failed: {error}")
        done += len(ids[start : start + size])
        _progress(job, done, len(ids), failed)
    _record(job, stored=stored, failed=failed, failures=failures, warm=warm)
    _say(job, f"stored {stored} predictions on {done - failed} items; {failed} failed")
    return failed


def _adapter(job: Job, worker: str):
    try:
        adapter, warm = serving.served_adapter(job.model, worker=worker)
    except serving.DeploymentGone as error:
        raise RuntimeError(str(error)) from None
    _say(job, f"model {'warm' if warm else 'loaded'} in {worker} (loads here: {serving.loads})")
    return adapter, warm


def predict_batch(
    adapter, batch: list[Item]
) -> tuple[list[tuple[Item, list]], list[tuple[Item, str]]]:
    """(item, predictions) for the items that worked, (item, reason) for the others.

    The whole batch goes to the adapter at once; when it raises, each item is tried
    alone so that one bad item does not fail its neighbours."""
    images, errors = [], []
    readable = []
    for item in batch:
        try:
            images.append(item_image(item))
            readable.append(item)
        except Exception as error:
            errors.append((item, f"cannot read the image: {error}"))
    try:
        return list(zip(readable, adapter.predict(images), strict=True)), errors
    except Exception:
        pass
    found = []
    for item, image in zip(readable, images, strict=True):
        try:
            found.append((item, adapter.predict([image])[0]))
        except Exception as error:
            errors.append((item, f"{type(error).__name__}: {error}"))
    return found, errors


class _LabelMaps:
    """Label rows by name, per dataset, read once per job."""

    def __init__(self) -> None:
        self.by_dataset: dict[int, dict[str, Label]] = {}

    def of(self, dataset_id: int) -> dict[str, Label]:
        if dataset_id not in self.by_dataset:
            labels = Label.objects.filter(dataset_id=dataset_id)
            self.by_dataset[dataset_id] = {label.name: label for label in labels}
        return self.by_dataset[dataset_id]


def predictions_replace(
    *, model_id: int, found: list[tuple[Item, list]], labels: _LabelMaps
) -> int:
    """Replace this model's predictions on these items with `found`, in one transaction."""
    rows = []
    for item, predictions in found:
        known = labels.of(item.dataset_id)
        for row in prediction_rows(item, list(predictions), set(known)):
            rows.append(_annotation(model_id, item, known[row["label"]], row))
    with transaction.atomic():
        items = [item.id for item, _ in found]
        Annotation.objects.filter(model_id=model_id, item_id__in=items).delete()
        Annotation.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _annotation(model_id: int, item: Item, label: Label, row: dict) -> Annotation:
    box = row.get("box")
    return Annotation(
        item=item,
        label=label,
        kind=AnnotationKind.BOX if box is not None else AnnotationKind.CLASS,
        x=box[0] if box else None,
        y=box[1] if box else None,
        w=box[2] if box else None,
        h=box[3] if box else None,
        model_id=model_id,
        confidence=row["confidence"],
    )


def _progress(job: Job, done: int, total: int, failed: int) -> None:
    message = f"predicted {done} of {total} items" + (f", {failed} failed" if failed else "")
    if job_services.job_report(
        job_id=job.id, progress=100.0 * done / max(total, 1), message=message
    ):
        raise PredictCancelled(message)


def _record(job: Job, **results) -> None:
    with transaction.atomic():
        row = Job.objects.select_for_update().only("parameters").get(pk=job.pk)
        Job.objects.filter(pk=job.pk).update(parameters={**row.parameters, **results})


# --- One image -----------------------------------------------------------------------


def run_predict_image_job(job_id: int, payload: str, worker: str) -> None:
    job = job_services.job_start(job_id=job_id, worker=worker)
    if job is None:
        return  # the caller gave up (timeout) before a worker took it
    try:
        adapter, warm = serving.served_adapter(job.model, worker=worker)
        image = _decoded(payload)
        predictions = adapter.predict([image])[0]
        answer = [_plain(prediction, image) for prediction in predictions]
        _record(job, predictions=answer, warm=warm)
    except Exception as error:
        job_services.job_fail(job_id=job.id, error=f"{type(error).__name__}: {error}")
    else:
        job_services.job_succeed(job_id=job.id)


def _decoded(payload: str) -> np.ndarray:
    with Image.open(io.BytesIO(base64.b64decode(payload))) as image:
        return np.asarray(image.convert("RGB"))


def _plain(prediction: dict, image: np.ndarray) -> dict:
    box = prediction.get("box")
    confidence = min(max(float(prediction["confidence"]), 0.0), 1.0)
    if box is not None:
        from worker.predictions import clip_box

        box = clip_box(box, image.shape[1], image.shape[0])
    plain = {"label": prediction["label"], "confidence": confidence, "box": box}
    if isinstance(prediction.get("scores"), dict):  # a classifier's score of every label
        plain["scores"] = {str(k): float(v) for k, v in prediction["scores"].items()}
    return plain


def _say(job: Job, line: str) -> None:
    job_services.job_log(job_id=job.id, line=line)
