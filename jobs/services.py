"""Writes on jobs: queue, start, report, finish, cancel, and reap the ones whose worker died;
and the workers' heartbeats, which /health/ reads.

Every change of a job's status is a single conditional UPDATE (`WHERE status = ...`),
so the worker, the web server and the reaper can race without a job ending twice.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import tasks
from core.errors import StateConflict
from core.tasks import task_revoke, task_send
from jobs.models import Job, JobKind, JobStatus, WorkerHeartbeat
from jobs.signals import job_ended
from registry.access import signed_in_or_none
from registry.models import ModelStatus, ModelVersion, Project
from registry.models.packages import EXTERNAL_WHY
from registry.services.models import model_set_status, model_update

LOG_TAIL_CHARS = 20_000


class JobConflict(StateConflict):
    """The job cannot start now (e.g. the model is already training)."""


def job_queue(
    *,
    task: str,
    kind: str,
    queue: str,
    model: ModelVersion,
    user,
    parameters: dict | None = None,
    project: Project | None = None,
) -> Job:
    """A Job row for the Celery task `task`, sent to `queue` once the transaction commits.

    The job belongs to `project`, by default the model's (a public model's evaluation
    belongs to the project of the dataset it reads). If the transaction rolls back, the
    row goes and nothing is sent.
    """
    job = Job.objects.create(
        project_id=project.id if project is not None else model.project_id,
        model=model,
        package_id=model.package_id,
        kind=kind,
        queue=queue,
        celery_task_id=str(uuid.uuid4()),
        created_by=signed_in_or_none(user),
        parameters=parameters or {},
    )
    transaction.on_commit(
        lambda: task_send(task, args=[job.id], queue=queue, task_id=job.celery_task_id)
    )
    return job


def model_train(*, model: ModelVersion, user, dataset=None, parameters: dict | None = None) -> Job:
    """Queue a training of `model` on the training queue; refused if one is active.

    A `dataset` (of the model's project) becomes the model's dataset first, in the same
    transaction: a refused training leaves the model as it was (see `_dataset_set`).
    """
    _check_writable(model)
    try:
        with transaction.atomic():
            if dataset is not None and dataset.pk != model.dataset_id:
                _dataset_set(model, dataset, user)
            _check_trainable(model)
            job = job_queue(
                task=tasks.TRAIN_MODEL,
                kind=JobKind.TRAIN,
                queue=model.queue,
                model=model,
                user=user,
                parameters={**(parameters or {}), "previous_status": model.status},
            )
            model_set_status(
                model=model, status=ModelStatus.QUEUED, user=user, reason=f"train job {job.id}"
            )
    except IntegrityError:
        raise JobConflict(f"{model.name} is already queued or training.") from None
    return job


def _dataset_set(model: ModelVersion, dataset, user) -> None:
    """The model trains on `dataset` from now on. Its labels stay when they name every label
    of the dataset (weights trained for them still fit); otherwise they become the dataset's,
    as a clone onto that dataset's would, so no annotation is left out of the training."""
    names = set(dataset.labels.values_list("name", flat=True))
    if model.labels and names <= set(model.labels):
        model_update(model=model, user=user, dataset=dataset)
    else:
        # labels=None: the dataset's labels, in its order (registry's _checked_labels).
        model_update(model=model, user=user, dataset=dataset, labels=None)


def no_dataset_message(model: ModelVersion) -> str:
    """What a training without a dataset answers, in the API and the SDK."""
    return (
        f"Model {model.name!r} has no dataset: pass train(dataset=...) or clone(..., dataset=...) "
        '(in the API, {"dataset": <id>} in the body), or choose one on the model\'s page (Edit).'
    )


def _check_writable(model: ModelVersion) -> None:
    if model.is_public:
        raise ValidationError({"model": "Public versions are read-only; clone one to train it."})


def _check_trainable(model: ModelVersion) -> None:
    if model.status in (ModelStatus.QUEUED, ModelStatus.TRAINING):
        raise JobConflict(f"{model.name} is already {model.status}.")
    if model.status == ModelStatus.DEPLOYED:
        raise JobConflict(f"{model.name} is deployed; undeploy it before training it again.")
    if model.package.is_external:
        raise ValidationError({"package": EXTERNAL_WHY.format(name=model.name, what="train")})
    if model.dataset_id is None:
        raise ValidationError({"dataset": no_dataset_message(model)})
    check_adapter_importable(model)


def check_servable(model: ModelVersion) -> None:
    """What predicting needs, for an evaluation or a deployment: weights, and an adapter
    the workers can import."""
    if model.package.is_external:
        raise ValidationError({"package": EXTERNAL_WHY.format(name=model.name, what="predict")})
    if not model.artifacts.exists():
        raise ValidationError({"model": f"{model.name} has no weights yet: train it first."})
    check_adapter_importable(model)


def check_adapter_importable(model: ModelVersion) -> None:
    if model.package.check_status == "failed":
        raise JobConflict(
            f"The workers cannot import the adapter of {model.package.name}: "
            f"{model.package.check_message}"
        )


def job_start(*, job_id: int, worker: str) -> Job | None:
    """queued → running; None when the job was cancelled or already taken."""
    now = timezone.now()
    started = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker
    )
    if not started:
        return None
    job = Job.objects.select_related("model", "package").get(pk=job_id)
    if job.model is not None and job.kind == JobKind.TRAIN:
        model_set_status(model=job.model, status=ModelStatus.TRAINING, reason=f"job {job.id}")
    return job


def job_report(*, job_id: int, progress: float | None = None, message: str | None = None) -> bool:
    """Progress and heartbeat of a running job; returns True when cancellation was asked."""
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = max(0.0, min(100.0, float(progress)))
    if message is not None:
        fields["message"] = message[:200]
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**fields)
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def job_log(*, job_id: int, line: str) -> None:
    """Append a line to the job's log, keeping the tail."""
    with transaction.atomic():
        job = Job.objects.select_for_update().only("log").get(pk=job_id)
        log = f"{job.log}{timezone.now():%H:%M:%S} {line.rstrip()}\n"
        Job.objects.filter(pk=job_id).update(log=log[-LOG_TAIL_CHARS:])


def job_environment_record(*, job_id: int, environment: dict) -> None:
    """What the job ran on (its device), kept in its parameters for the job page."""
    if not environment:
        return
    with transaction.atomic():
        job = Job.objects.select_for_update().only("parameters", "log").get(pk=job_id)
        job.parameters = {**job.parameters, "environment": dict(environment)}
        job.save(update_fields=["parameters"])
    shown = ", ".join(f"{key} {value}" for key, value in environment.items())
    job_log(job_id=job_id, line=f"ran on: {shown}")


def job_succeed(*, job_id: int) -> bool:
    return _finish(job_id, JobStatus.SUCCEEDED, model_status=ModelStatus.TRAINED, progress=100)


def job_fail(*, job_id: int, error: str) -> bool:
    return _finish(job_id, JobStatus.FAILED, model_status=ModelStatus.FAILED, error=error)


def job_cancelled(*, job_id: int) -> bool:
    """A running job that stopped because it was asked to."""
    return _finish(job_id, JobStatus.CANCELLED, model_status=None)


def job_cancel(*, job: Job, user) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next safe point."""
    if not job.is_active:
        raise JobConflict(f"The job has already ended ({job.status}).")
    if _finish(job.id, JobStatus.CANCELLED, model_status=None, statuses=[JobStatus.QUEUED]):
        _revoke(job)
    else:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def _revoke(job: Job) -> None:
    if job.celery_task_id:
        task_revoke(job.celery_task_id)


def _finish(
    job_id: int,
    status: str,
    model_status: str | None,
    progress: float | None = None,
    error: str = "",
    statuses=(JobStatus.RUNNING,),
) -> bool:
    """Move an active job to its end, once; the model follows."""
    fields = {"status": status, "finished_at": timezone.now(), "error": error}
    if progress is not None:
        fields["progress"] = progress
    with transaction.atomic():
        ended = Job.objects.filter(pk=job_id, status__in=statuses).update(**fields)
        if ended:
            job = Job.objects.select_related("model").get(pk=job_id)
            _model_follows(job, model_status)
            # In the same transaction: what waits on the job (an evaluation, a
            # pipeline run) follows it, or rolls back with it.
            job_ended.send(sender=Job, job=job)
    return bool(ended)


def _model_follows(job: Job, model_status: str | None) -> None:
    if job.model is None or job.kind != JobKind.TRAIN:
        return
    # A cancelled training puts the model back where it was before the click.
    status = model_status or job.parameters.get("previous_status", ModelStatus.CREATED)
    reason = f"job {job.id} {job.status}"
    model_set_status(model=job.model, status=status, reason=reason)


def jobs_reap_stale(*, now=None) -> list[int]:
    """Fail running jobs whose worker stopped sending heartbeats (killed, out of memory...)."""
    bound = settings.JOB_STALE_AFTER_SECONDS
    cutoff = (now or timezone.now()) - timedelta(seconds=bound)
    stale = list(
        Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).values_list(
            "id", flat=True
        )
    )
    error = (
        f"The worker stopped answering: no heartbeat for over {bound} s "
        "(it was killed or lost its connection). Start the job again."
    )
    return [job_id for job_id in stale if job_fail(job_id=job_id, error=error)]


def job_reaped_if_stale(*, job: Job) -> Job:
    """Fail the job now if its heartbeat is older than the bound (reads need not wait for beat)."""
    if job.status == JobStatus.RUNNING and job.heartbeat_at is not None:
        silent = (timezone.now() - job.heartbeat_at).total_seconds()
        if silent > settings.JOB_STALE_AFTER_SECONDS and jobs_reap_stale():
            job.refresh_from_db()
    return job


# /health/ is public: at most one heartbeat request per this many seconds reaches the queue.
HEARTBEAT_REQUEST_INTERVAL = 10


def heartbeat_record(*, hostname: str, queues: list[str] | None = None) -> WorkerHeartbeat:
    """The worker `hostname` is alive now (and consumes `queues`, when it says)."""
    defaults = {"seen_at": timezone.now()}
    if queues is not None:
        defaults["queues"] = sorted(queues)
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults=defaults)
    return heartbeat


def heartbeat_request() -> bool:
    """Ask a worker to say it is alive (answered in WorkerHeartbeat); False if asked lately."""
    if not cache.add("modelyard:heartbeat-requested", True, HEARTBEAT_REQUEST_INTERVAL):
        return False
    transaction.on_commit(lambda: task_send(tasks.WORKER_HEARTBEAT, args=[]))
    return True
