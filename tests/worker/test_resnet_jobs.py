"""The `resnet` package trained by a real worker: device, checkpoints, a killed worker resumed."""

import os
import signal

import pytest

from comparison.models import MetricSeries
from comparison.selectors import series_points
from jobs import services as job_services
from jobs.checkpoints import model_train_resume
from jobs.models import Checkpoint, JobStatus
from jobs.services import JobConflict
from registry.models import ModelStatus
from tests.factories import UserFactory
from tests.worker.image_models import colour_model
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker


def ended(job) -> bool:
    job.refresh_from_db()
    return job.status not in (JobStatus.QUEUED, JobStatus.RUNNING)


def steps_of(model, name: str) -> list[int]:
    series = MetricSeries.objects.get(model=model, name=name)
    return [int(step) for step in series_points(series)["steps"]]


def test_a_resnet_trains_in_the_worker_and_records_its_device(celery_worker_process):
    _, log = celery_worker_process
    model = colour_model(epochs=3)

    job = job_services.model_train(model=model, user=UserFactory())

    wait_for(lambda: ended(job), timeout=180, log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "device: cpu" in job.log
    assert "kept the weights of epoch" in job.log
    assert job.parameters["environment"]["device"] == "cpu"
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED
    assert model.tags.filter(name="device:cpu").exists()
    assert sorted(model.artifacts.values_list("name", flat=True)) == [
        "model.json",
        "model.safetensors",
    ]
    names = set(MetricSeries.objects.filter(model=model).values_list("name", flat=True))
    assert names == {"loss/train", "loss/val", "accuracy/val", "lr"}
    assert steps_of(model, "accuracy/val") == [1, 2, 3]
    assert MetricSeries.objects.get(model=model, name="accuracy/val").max_value >= 0.8
    assert Checkpoint.objects.filter(job=job).count() == 3


def test_a_training_whose_worker_was_killed_resumes_without_gaps_or_repeats(
    transactional_db, tmp_path, media_in_tmp
):
    bound = {"JOB_STALE_AFTER_SECONDS": "4", "JOB_HEARTBEAT_SECONDS": "1"}
    model = colour_model(epochs=6)
    victim, victim_log = start_worker(tmp_path / "victim.log", media_in_tmp, extra_env=bound)
    try:
        job = job_services.model_train(model=model, user=UserFactory())
        wait_for(lambda: Checkpoint.objects.filter(job=job).count() >= 2, 180, victim_log)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        stop_worker(victim)
    reaper_env = {**bound, "JOB_REAPER_INTERVAL_SECONDS": "1"}
    worker, log = start_worker(tmp_path / "worker.log", media_in_tmp, reaper_env, beat=True)
    try:
        wait_for(lambda: ended(job), timeout=30, log=log)
        assert job.status == JobStatus.FAILED
        model.refresh_from_db()
        resumed = model_train_resume(model=model, user=UserFactory())
        wait_for(lambda: ended(resumed), timeout=180, log=log)
    finally:
        stop_worker(worker)

    assert resumed.status == JobStatus.SUCCEEDED, resumed.error
    start = Checkpoint.objects.get(pk=resumed.parameters["resumed_from"])
    assert f"resuming job {job.id} after its epoch {start.epoch}" in resumed.log
    assert f"resuming after epoch {start.epoch}" in resumed.log
    for name in ("loss/train", "accuracy/val", "lr"):
        assert steps_of(model, name) == [1, 2, 3, 4, 5, 6], name


def test_a_model_with_no_interrupted_training_cannot_resume(db):
    model = colour_model(epochs=1)

    with pytest.raises(JobConflict, match="no interrupted training with a checkpoint"):
        model_train_resume(model=model, user=UserFactory())
