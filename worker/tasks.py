"""Every Celery task: each takes ids, loads rows and calls a service or a runner.

Domains queue these by name (core/tasks.py) and never import this module; the
names are the wire names the broker and beat's table carry.
"""

import socket

from celery import current_task, shared_task

from core import tasks as names
from jobs.services import heartbeat_record, jobs_reap_stale
from pipelines.services import pipelines as pipeline_services
from pipelines.services import steps as pipeline_steps
from serving.services import deployments_reap_stale
from worker import evaluating, predicting, preload, presence, training  # noqa: F401  (signals)
from worker.package_checks import package_check_run


def _worker_name() -> str:
    return current_task.request.hostname or socket.gethostname()


# --- Jobs: train, evaluate, predict -----------------------------------------


@shared_task(name=names.TRAIN_MODEL, acks_late=True)
def train_model(job_id: int) -> None:
    training.run_training_job(job_id, worker=_worker_name())


@shared_task(name=names.EVALUATE_MODEL, acks_late=True)
def evaluate_model(job_id: int) -> None:
    evaluating.run_evaluation_job(job_id, worker=_worker_name())


@shared_task(name=names.COMPUTE_EVALUATION, acks_late=True)
def compute_evaluation(job_id: int) -> None:
    evaluating.run_compute_job(job_id, worker=_worker_name())


@shared_task(name=names.PREDICT_ITEMS, acks_late=True)
def predict_items(job_id: int) -> None:
    predicting.run_predict_items_job(job_id, worker=_worker_name())


@shared_task(name=names.PREDICT_IMAGE, acks_late=False)
def predict_image(job_id: int, payload: str) -> None:
    predicting.run_predict_image_job(job_id, payload, worker=_worker_name())


# --- Deployments and packages -------------------------------------------------


@shared_task(name=names.DEPLOY_MODEL)
def deploy_model(deployment_id: int) -> None:
    predicting.run_warm_up(deployment_id, worker=_worker_name())


@shared_task(name=names.CHECK_PACKAGE)
def check_package(package_id: int) -> None:
    package_check_run(package_id=package_id, worker=_worker_name())


# --- Pipelines ---------------------------------------------------------------


@shared_task(name=names.PIPELINE_ADVANCE)
def pipeline_advance(run_id: int) -> None:
    pipeline_steps.pipeline_advance(run_id=run_id)


@shared_task(name=names.PIPELINE_SCHEDULED)
def pipeline_scheduled(pipeline_id: int) -> int | None:
    run = pipeline_services.pipeline_scheduled(pipeline_id=pipeline_id)
    return run.id if run else None


@shared_task(name=names.PIPELINES_CHECK_TRIGGERS)
def pipelines_check_triggers() -> list[int]:
    return pipeline_services.pipelines_check_triggers()


# --- Beat's periodic passes and health ----------------------------------------


@shared_task(name=names.REAP_STALE_JOBS)
def reap_stale_jobs() -> list[int]:
    # A deployment whose worker died goes failed on the same beat as its jobs,
    # and a pipeline run whose message was lost moves on: nothing waits for ever.
    deployments_reap_stale()
    reaped = jobs_reap_stale()
    pipeline_services.pipeline_runs_move_on()
    return reaped


@shared_task(name=names.WORKER_HEARTBEAT)
def worker_heartbeat() -> None:
    heartbeat_record(hostname=_worker_name())
