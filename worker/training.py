"""A training job from start to end, in a worker process.

The job's heartbeat is written by a thread beside the adapter, so a long epoch
is not mistaken for a dead worker; a killed worker stops the heartbeat and the
reaper (jobs.services.jobs_reap_stale) fails the job.
"""

import logging
import math
import tempfile
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from modelyard import StopTraining
from modelyard.adapter import LOGGER_NAME

from jobs import services as job_services
from jobs.checkpoints import checkpoint_unpack
from jobs.models import Checkpoint, Job
from registry.selectors.models import model_label_names
from registry.services.artifacts import artifact_upload
from registry.services.models import merge_configuration, model_set_tags
from worker.checkpointing import CheckpointWriter
from worker.data import training_data
from worker.loading import adapter_class


class JobCallbacks:
    """What the adapter's `train` calls: metrics to the store, progress to the job."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.cancel_asked = False
        # On resume: each series' last step already stored, so no step is logged twice.
        self.stored_up_to: dict[str, int] = {}
        self.checkpoints = CheckpointWriter(job)

    def log(self, metrics: dict[str, float], step: int) -> None:
        from comparison.services import metrics_log

        # A diverging loss (NaN, inf) is news for the log, not a reason to fail the job.
        finite = {name: value for name, value in metrics.items() if math.isfinite(value)}
        new = {name: value for name, value in finite.items() if self._is_new(name, step)}
        points = [{"name": name, "step": step, "value": value} for name, value in new.items()]
        if points:
            metrics_log(model=self.job.model, points=points)
        shown = ", ".join(f"{name}={value:.4g}" for name, value in metrics.items())
        job_services.job_log(job_id=self.job.id, line=f"step {step}: {shown}")

    def progress(self, percent: float, message: str = "") -> None:
        self.cancel_asked = job_services.job_report(
            job_id=self.job.id, progress=percent, message=message
        )

    def should_stop(self) -> bool:
        return self.cancel_asked or job_services.job_report(job_id=self.job.id)

    def checkpoint(self, path: str, epoch: int) -> None:
        self.checkpoints.submit(path, epoch)  # stored while the next epoch trains

    def _is_new(self, name: str, step: int) -> bool:
        return step > self.stored_up_to.get(name, -(2**63))


def run_training_job(job_id: int, worker: str) -> None:
    job = job_services.job_start(job_id=job_id, worker=worker)
    if job is None:
        return  # cancelled while queued, or already taken by another delivery
    with heartbeat(job.id):
        try:
            train(job)
        except StopTraining:
            job_services.job_log(job_id=job.id, line="stopped: the job was cancelled")
            job_services.job_cancelled(job_id=job.id)
        except BaseException as error:  # SoftTimeLimitExceeded too: nothing stays running
            job_services.job_log(job_id=job.id, line=f"failed: {error!r}")
            job_services.job_fail(job_id=job.id, error=traceback.format_exc())
            if not isinstance(error, Exception):
                raise
        else:
            job_services.job_succeed(job_id=job.id)


def train(job: Job) -> None:
    def say(line: str) -> None:
        job_services.job_log(job_id=job.id, line=line)

    job_services.job_report(job_id=job.id, progress=0, message="preparing the data")
    data = training_data(job.model)
    callbacks = JobCallbacks(job)
    with tempfile.TemporaryDirectory(prefix="modelyard-resume-") as folder:
        data.resume = resume_prepare(job, folder, callbacks, say)
        try:
            environment = fit(job.model, data, callbacks, user=job.created_by, say=say)
        except BaseException:  # a cancelled or failed training keeps its last checkpoint too
            callbacks.checkpoints.wait(raising=False)
            raise
        callbacks.checkpoints.wait()
    job_services.job_environment_record(job_id=job.id, environment=environment)


def resume_prepare(job: Job, folder: str, callbacks: JobCallbacks, say) -> str | None:
    """The folder of the checkpoint this job resumes from, or None for a fresh start."""
    checkpoint_id = job.parameters.get("resumed_from")
    if checkpoint_id is None:
        return None
    checkpoint = Checkpoint.objects.get(pk=checkpoint_id)
    checkpoint_unpack(checkpoint=checkpoint, folder=folder)
    from comparison.selectors import series_last_steps

    callbacks.stored_up_to = series_last_steps(model=job.model)
    say(f"resuming job {checkpoint.job_id} after its epoch {checkpoint.epoch}")
    return folder


def fit(model, data, callbacks, user, say) -> dict:
    """Load the model's weights if any, train on `data`, upload what the adapter saves.

    Returns what the adapter ran on (its `environment`), also kept as a tag.
    """
    adapter = build_adapter(model)
    say(f"adapter {model.package.adapter} with configuration {adapter.configuration}")
    say(f"data: {len(data.train)} train and {len(data.validation)} validation images")
    with tempfile.TemporaryDirectory(prefix="modelyard-job-") as folder, adapter_notes(say):
        weights_in, weights_out = Path(folder, "in"), Path(folder, "out")
        weights_in.mkdir()
        weights_out.mkdir()
        if fetch_artifacts(model, weights_in):
            say("loading the model's artifacts (training continues from them)")
            adapter.load(str(weights_in))
        adapter.train(data, str(weights_out), callbacks)
        adapter.save(str(weights_out))
        uploaded = upload_artifacts(model, weights_out, user)
        say(f"saved {uploaded} artifact(s)")
    environment_tag(model, adapter.environment)
    return adapter.environment


def environment_tag(model, environment: dict) -> None:
    """The device a version was trained on, as its `device:...` tag (one at a time)."""
    device = environment.get("device")
    if not device:
        return
    tags = [
        tag for tag in model.tags.values_list("name", flat=True) if not tag.startswith("device:")
    ]
    model_set_tags(model=model, tags=[*tags, f"device:{device}"[:50]])


class _SayHandler(logging.Handler):
    def __init__(self, say) -> None:
        super().__init__(logging.INFO)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        self.say(record.getMessage())


@contextmanager
def adapter_notes(say):
    """What the adapter notes (`ModelAdapter.note`) goes to the job's log meanwhile."""
    logger = logging.getLogger(LOGGER_NAME)
    handler, level, propagate = _SayHandler(say), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the job log has them; the console need not print them twice
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def build_adapter(model):
    cls = adapter_class(model.package.adapter)
    configuration = merge_configuration(model.package.default_configuration, model.configuration)
    return cls(configuration=configuration, labels=model_label_names(model))


def fetch_artifacts(model, folder: Path) -> int:
    count = 0
    for artifact in model.artifacts.all():
        with artifact.file.open("rb") as source, open(folder / artifact.name, "wb") as target:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                target.write(chunk)
        count += 1
    return count


def upload_artifacts(model, folder: Path, user) -> int:
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    for path in files:
        # Artifacts are flat: a file in a sub-folder keeps its path with "__" for "/".
        name = "__".join(path.relative_to(folder).parts)
        with open(path, "rb") as handle:
            artifact_upload(model=model, file=File(handle, name=name), user=user, replace=True)
    return len(files)


@contextmanager
def heartbeat(job_id: int):
    """Beat every JOB_HEARTBEAT_SECONDS while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            job_services.job_report(job_id=job_id)
        connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
