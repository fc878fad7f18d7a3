"""Training jobs in a real worker process: success, failure, cancel, a killed worker."""

import os
import signal

import pytest

from jobs import services as job_services
from jobs.models import Job, JobStatus
from registry.models import Artifact, ModelStatus
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
    UserFactory,
)
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker


def model_with(adapter: str, **configuration):
    dataset = DatasetFactory()
    label = LabelFactory(dataset=dataset, name="thing")
    for subset in ("train", "train", "validation"):
        AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=label)
    package = PackageFactory(adapter=adapter, default_configuration={"epochs": 3})
    return ModelVersionFactory(
        project=dataset.project, package=package, dataset=dataset, configuration=configuration
    )


def job_status(job: Job) -> str:
    job.refresh_from_db()
    return job.status


def job_ended(job: Job) -> bool:
    return job_status(job) not in (JobStatus.QUEUED, JobStatus.RUNNING)


def test_a_training_job_runs_in_the_worker_and_the_model_becomes_trained(
    celery_worker_process,
):
    _, log = celery_worker_process
    model = model_with("tests.worker.adapters:CountingAdapter", epochs=4)

    job = job_services.model_train(model=model, user=UserFactory())

    wait_for(lambda: job_ended(job), log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED
    assert job.progress == 100
    assert "2 train and 1 validation images" in job.log
    assert Artifact.objects.get(model=model).name == "state.json"
    assert list(model.status_changes.values_list("to_status", flat=True)) == [
        "queued",
        "training",
        "trained",
    ]


def test_an_adapter_that_raises_ends_the_job_failed_with_its_traceback(celery_worker_process):
    _, log = celery_worker_process
    model = model_with("tests.worker.adapters:FailingAdapter")

    job = job_services.model_train(model=model, user=UserFactory())

    wait_for(lambda: job_ended(job), log=log)
    assert job.status == JobStatus.FAILED
    assert "RuntimeError: the adapter broke on purpose" in job.error
    assert "Traceback" in job.error
    model.refresh_from_db()
    assert model.status == ModelStatus.FAILED


def test_an_adapter_the_workers_cannot_import_fails_the_job_naming_it(celery_worker_process):
    _, log = celery_worker_process
    model = model_with("no_such_module.adapters:Missing")

    job = job_services.model_train(model=model, user=UserFactory())

    wait_for(lambda: job_ended(job), log=log)
    assert job.status == JobStatus.FAILED
    assert "cannot import no_such_module.adapters" in job.error


def test_cancelling_a_running_job_stops_it_and_restores_the_model(celery_worker_process):
    _, log = celery_worker_process
    model = model_with("tests.worker.adapters:CountingAdapter", epochs=50, seconds_per_epoch=0.2)
    job = job_services.model_train(model=model, user=UserFactory())
    wait_for(lambda: job_status(job) == JobStatus.RUNNING and job.progress > 0, log=log)

    job_services.job_cancel(job=job, user=None)

    wait_for(lambda: job_ended(job), log=log)
    assert job.status == JobStatus.CANCELLED, job.error
    assert job.progress < 100
    model.refresh_from_db()
    assert model.status == ModelStatus.CREATED


def test_a_worker_killed_mid_training_leaves_the_job_failed_within_the_bound(
    transactional_db, tmp_path, media_in_tmp
):
    bound = {"JOB_STALE_AFTER_SECONDS": "4", "JOB_HEARTBEAT_SECONDS": "1"}
    model = model_with("tests.worker.adapters:CountingAdapter", epochs=100, seconds_per_epoch=0.2)
    victim, victim_log = start_worker(tmp_path / "victim.log", media_in_tmp, extra_env=bound)
    try:
        job = job_services.model_train(model=model, user=UserFactory())
        wait_for(lambda: job_status(job) == JobStatus.RUNNING, log=victim_log)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        stop_worker(victim)
    reaper_env = {**bound, "JOB_REAPER_INTERVAL_SECONDS": "1"}
    reaper, reaper_log = start_worker(
        tmp_path / "reaper.log", media_in_tmp, extra_env=reaper_env, beat=True
    )
    try:
        # 4 s without a heartbeat, a reaper pass every second, and worker start-up.
        wait_for(lambda: job_ended(job), timeout=30, log=reaper_log)
    finally:
        stop_worker(reaper)
    assert job.status == JobStatus.FAILED
    assert "stopped answering" in job.error
    model.refresh_from_db()
    assert model.status == ModelStatus.FAILED
