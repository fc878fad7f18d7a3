"""Deployments and predictions on items: the writes (reads in registry/selectors/deployments.py).

The interface below is what the pages, the API and the SDK call; keep the names and
arguments. Errors: ValidationError (400, naming the field), NotDeployed (409),
JobConflict (409), PermissionDenied (403, checked by the callers with may_predict),
PredictTimeout (504, the synchronous image prediction ran out of time).
"""

import base64
import io
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from core import tasks
from core.errors import StateConflict
from core.tasks import task_send
from data.models import Annotation, AnnotationKind, Item
from jobs import services as job_services
from jobs.models import Job, JobKind, JobStatus
from registry.access import has_role, signed_in_or_none
from registry.models import ModelStatus, ModelVersion, Role
from registry.services.models import model_set_status
from serving.models import LIVE_STATES, Deployment, DeploymentState

MAX_PREDICT_ITEMS = 10_000  # item ids in one predict request
POLL_SECONDS = 0.01


class NotDeployed(StateConflict):
    """Predict asked of a model with no live deployment: the message says why (409)."""


class PredictTimeout(Exception):
    """A synchronous prediction did not come back in time (504)."""


# --- Deploy and undeploy ---------------------------------------------------------------


def model_deploy(*, model: ModelVersion, user, concurrency: int = 1) -> Deployment:
    """Deploy `model`: a Deployment in state starting, its artifacts by sha256, then a
    warm-up task on the inference queue that loads it and sets it ready (or failed with
    the error). A model already live answers its live deployment unchanged."""
    live = _live(model)
    if live is not None:
        return live
    _check_deployable(model, concurrency)
    try:
        with transaction.atomic():
            deployment = Deployment.objects.create(
                project_id=model.project_id,
                model=model,
                concurrency=concurrency,
                artifacts=[
                    {"name": artifact.name, "sha256": artifact.sha256}
                    for artifact in model.artifacts.order_by("name")
                ],
                created_by=signed_in_or_none(user),
            )
            model_set_status(
                model=model,
                status=ModelStatus.DEPLOYED,
                user=signed_in_or_none(user),
                reason=f"deployment {deployment.id}",
            )
            transaction.on_commit(lambda: _send_warm_up(deployment))
    except IntegrityError:
        # Two deploy clicks at once: the partial unique index let one through.
        return _live(model) or Deployment.objects.filter(model=model).first()
    return deployment


def model_undeploy(*, model: ModelVersion, user) -> Deployment | None:
    """Stop the model's live deployment (None if it has none) and evict it from the
    workers' caches (each worker drops it at its next use, see worker.serving)."""
    deployment = _live(model)
    if deployment is None:
        return None
    deployment_end(
        deployment=deployment,
        state=DeploymentState.STOPPED,
        user=signed_in_or_none(user),
        reason=f"undeployed (deployment {deployment.id})",
    )
    deployment.refresh_from_db()
    return deployment


def deployment_end(
    *, deployment: Deployment, state: str, error: str = "", user=None, reason=""
) -> bool:
    """A live deployment goes stopped or failed, once; the model leaves `deployed`."""
    fields = {"state": state, "error": error[:5000]}
    if state == DeploymentState.STOPPED:
        fields.update(stopped_at=timezone.now(), stopped_by=user)
    with transaction.atomic():
        ended = Deployment.objects.filter(pk=deployment.pk, state__in=LIVE_STATES).update(**fields)
        if ended:
            model = ModelVersion.objects.select_for_update().get(pk=deployment.model_id)
            if model.status == ModelStatus.DEPLOYED:
                previous = _status_before_deploy(model)
                model_set_status(model=model, status=previous, user=user, reason=reason)
    return bool(ended)


def deployment_ready(*, deployment_id: int, worker: str) -> bool:
    now = timezone.now()
    return bool(
        Deployment.objects.filter(pk=deployment_id, state=DeploymentState.STARTING).update(
            state=DeploymentState.READY, ready_at=now, heartbeat_at=now, worker=worker
        )
    )


def deployments_reap_stale(*, now=None) -> list[int]:
    """Fail live deployments whose worker stopped beating (killed, out of memory...), and
    those no inference worker picked up in DEPLOY_START_TIMEOUT_SECONDS."""
    now = now or timezone.now()
    bound = settings.JOB_STALE_AFTER_SECONDS
    silent = Deployment.objects.filter(
        state__in=LIVE_STATES, heartbeat_at__lt=now - timedelta(seconds=bound)
    )
    failed = _fail_all(
        silent,
        f"The worker serving it stopped answering: no heartbeat for over {bound} s "
        "(it was killed or lost its connection). Deploy the model again.",
    )
    wait = settings.DEPLOY_START_TIMEOUT_SECONDS
    unclaimed = Deployment.objects.filter(
        state=DeploymentState.STARTING,
        heartbeat_at__isnull=True,
        created_at__lt=now - timedelta(seconds=wait),
    )
    return failed + _fail_all(
        unclaimed,
        f"No inference worker loaded it within {wait} s: is a worker running on the "
        f"queue it was sent to? Deploy it again once one is.",
    )


def _fail_all(deployments, error: str) -> list[int]:
    return [
        deployment.id
        for deployment in deployments
        if deployment_end(
            deployment=deployment,
            state=DeploymentState.FAILED,
            error=error,
            reason=f"deployment {deployment.id} failed",
        )
    ]


def _check_deployable(model: ModelVersion, concurrency: int) -> None:
    if model.is_public:
        raise ValidationError({"model": "Public versions are read-only; clone one to deploy it."})
    if not 1 <= int(concurrency) <= 32:
        raise ValidationError({"concurrency": "Choose a concurrency from 1 to 32."})
    if model.status in (ModelStatus.QUEUED, ModelStatus.TRAINING):
        raise job_services.JobConflict(f"{model.name} is {model.status}; deploy it once trained.")
    job_services.check_servable(model)


def _send_warm_up(deployment: Deployment) -> None:
    task_send(tasks.DEPLOY_MODEL, args=[deployment.id], queue=deployment.queue)


def _status_before_deploy(model: ModelVersion) -> str:
    change = model.status_changes.filter(to_status=ModelStatus.DEPLOYED).order_by("-id").first()
    if change is None or change.from_status in ("", ModelStatus.DEPLOYED):
        return ModelStatus.TRAINED
    return change.from_status


def deployment_live_or_none(*, model: ModelVersion) -> Deployment | None:
    return _live(model)


def _live(model: ModelVersion) -> Deployment | None:
    return Deployment.objects.filter(model=model, state__in=LIVE_STATES).first()


# --- Predictions -----------------------------------------------------------------------


def predict_items(*, model: ModelVersion, item_ids: list[int], user) -> Job:
    """Queue a predict Job on the inference queue for these items (of the model's
    project); NotDeployed when the model is not live."""
    deployment = live_deployment_or_409(model)
    ids = _checked_item_ids(model, item_ids)
    return job_services.job_queue(
        task=tasks.PREDICT_ITEMS,
        kind=JobKind.PREDICT,
        queue=deployment.queue,
        model=model,
        user=user,
        parameters={"deployment": deployment.id, "items": ids},
    )


def predict_image(*, model: ModelVersion, image, user) -> list[dict]:
    """Predict one uploaded image synchronously (bounded by a timeout and a size limit):
    [{"label": name, "confidence": c, "box": [x, y, w, h] | None}].

    The prediction runs in an inference worker, where the model is warm; this waits for
    the job's answer and cancels it when the time is up."""
    deployment = live_deployment_or_409(model)
    data = _checked_image(image)
    job = Job.objects.create(
        project_id=model.project_id,
        model=model,
        package_id=model.package_id,
        kind=JobKind.PREDICT,
        queue=deployment.queue,
        celery_task_id=str(uuid.uuid4()),
        created_by=signed_in_or_none(user),
        parameters={"deployment": deployment.id, "image": len(data)},
    )
    _send_image(job, base64.b64encode(data).decode())
    return _wait_for_predictions(job, _timeout_seconds())


def _send_image(job: Job, payload: str) -> None:
    # The bytes travel with the task (bounded by the size limit), not in the database.
    task_send(
        tasks.PREDICT_IMAGE,
        args=[job.id, payload],
        queue=job.queue,
        task_id=job.celery_task_id,
        expires=_timeout_seconds(),
    )


def _wait_for_predictions(job: Job, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Job.objects.filter(pk=job.pk).values("status", "parameters", "error").first()
        if row["status"] == JobStatus.SUCCEEDED:
            return row["parameters"].get("predictions", [])
        if row["status"] in (JobStatus.FAILED, JobStatus.CANCELLED):
            raise ValidationError({"image": _last_line(row["error"]) or "The prediction failed."})
        time.sleep(POLL_SECONDS)
    job_services.job_cancel(job=Job.objects.get(pk=job.pk), user=None)
    raise PredictTimeout(f"No prediction within {timeout:g} s; is an inference worker running?")


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def live_deployment_or_409(model: ModelVersion) -> Deployment:
    live = _live(model)
    if live is not None:
        return live
    last = Deployment.objects.filter(model=model).first()
    if last is None:
        raise NotDeployed(f"{model.name} is not deployed: deploy it before predicting.")
    if last.state == DeploymentState.FAILED:
        reason = _last_line(last.error) or "no reason was recorded"
        raise NotDeployed(f"{model.name}'s deployment failed ({reason}); deploy it again.")
    raise NotDeployed(f"{model.name} was undeployed: deploy it again before predicting.")


def _checked_item_ids(model: ModelVersion, item_ids: list[int]) -> list[int]:
    try:
        ids = sorted({int(item_id) for item_id in item_ids})
    except (TypeError, ValueError):
        raise ValidationError({"items": "Give item ids as whole numbers."}) from None
    if not ids:
        raise ValidationError({"items": "Choose at least one item."})
    if len(ids) > MAX_PREDICT_ITEMS:
        raise ValidationError({"items": f"At most {MAX_PREDICT_ITEMS:,} items per request."})
    found = set(
        Item.objects.filter(id__in=ids, dataset__project_id=model.project_id).values_list(
            "id", flat=True
        )
    )
    missing = [item_id for item_id in ids if item_id not in found]
    if missing:
        shown = ", ".join(str(item_id) for item_id in missing[:20])
        raise ValidationError({"items": f"No such items in the model's project: {shown}."})
    return ids


def _checked_image(image) -> bytes:
    limit = int(settings.PREDICT_IMAGE_MAX_BYTES)
    pixels = int(settings.PREDICT_IMAGE_MAX_PIXELS)
    if image is None:
        raise ValidationError({"image": "Upload an image."})
    data = image.read(limit + 1) if hasattr(image, "read") else bytes(image)
    if len(data) > limit:
        raise ValidationError({"image": f"The image is larger than {limit:,} bytes."})
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > pixels:
                raise ValidationError(
                    {"image": f"The image has {width}×{height} pixels, more than {pixels:,}."}
                )
            opened.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ValidationError({"image": "The file is not an image that can be decoded."}) from None
    return data


def _timeout_seconds() -> float:
    return float(settings.PREDICT_TIMEOUT_SECONDS)


def predictions_accept(*, project, annotation_ids: list[int], user) -> int:
    """Turn these predictions (of the project) into ground truth: model cleared,
    accepted_from / accepted_by / accepted_at set. Returns how many."""
    ids = sorted({int(annotation_id) for annotation_id in annotation_ids})
    if not ids:
        raise ValidationError({"ids": "Choose at least one prediction."})
    rows = Annotation.objects.filter(id__in=ids, item__dataset__project=project)
    found = dict(rows.values_list("id", "model_id"))
    missing = [annotation_id for annotation_id in ids if annotation_id not in found]
    if missing:
        raise ValidationError({"ids": f"No such annotations in the project: {missing[:20]}."})
    truths = [annotation_id for annotation_id, model_id in found.items() if model_id is None]
    if truths:
        raise ValidationError({"ids": f"These are ground truth already: {sorted(truths)[:20]}."})
    _drop_replaced_class_labels(rows)
    # SQL reads the old model_id on the right-hand side, so accepted_from keeps it.
    return rows.update(
        accepted_from=F("model"),
        model=None,
        confidence=None,
        accepted_by=signed_in_or_none(user),
        accepted_at=timezone.now(),
    )


def _drop_replaced_class_labels(accepted) -> None:
    """An item has one class label: accepting a class prediction replaces the item's
    other class ground truth (box ground truth is never touched)."""
    chosen = accepted.filter(kind=AnnotationKind.CLASS).values_list("item_id", "label_id")
    for item_id, label_id in chosen:
        Annotation.objects.filter(
            item_id=item_id, kind=AnnotationKind.CLASS, model__isnull=True
        ).exclude(label_id=label_id).delete()


def may_predict(user, project) -> bool:
    """Developers and owners; annotators when the project allows it."""
    if project is None:
        return False
    if has_role(user, project, Role.DEVELOPER):
        return True
    return bool(project.annotators_can_predict) and has_role(user, project, Role.ANNOTATOR)
