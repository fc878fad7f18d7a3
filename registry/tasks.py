"""Celery tasks: they take ids, load rows and call a service."""

import socket

from celery import current_task, shared_task

from registry.services.health import heartbeat_record


def _worker_name() -> str:
    return current_task.request.hostname or socket.gethostname()


@shared_task(name="registry.worker_heartbeat")
def worker_heartbeat() -> None:
    heartbeat_record(hostname=_worker_name())


@shared_task(name="registry.train_model", acks_late=True)
def train_model(job_id: int) -> None:
    from registry.runner.training import run_training_job

    run_training_job(job_id, worker=_worker_name())


@shared_task(name="registry.reap_stale_jobs")
def reap_stale_jobs() -> list[int]:
    from registry.services.deployments import deployments_reap_stale
    from registry.services.jobs import jobs_reap_stale
    from registry.services.pipelines import pipeline_runs_move_on

    # A deployment whose worker died goes failed on the same beat as its jobs,
    # and a pipeline run whose message was lost moves on: nothing waits for ever.
    deployments_reap_stale()
    reaped = jobs_reap_stale()
    pipeline_runs_move_on()
    return reaped


@shared_task(name="registry.deploy_model")
def deploy_model(deployment_id: int) -> None:
    from registry.runner.predicting import run_warm_up

    run_warm_up(deployment_id, worker=_worker_name())


@shared_task(name="registry.predict_items", acks_late=True)
def predict_items(job_id: int) -> None:
    from registry.runner.predicting import run_predict_items_job

    run_predict_items_job(job_id, worker=_worker_name())


@shared_task(name="registry.predict_image", acks_late=False)
def predict_image(job_id: int, payload: str) -> None:
    from registry.runner.predicting import run_predict_image_job

    run_predict_image_job(job_id, payload, worker=_worker_name())


@shared_task(name="registry.check_package")
def check_package(package_id: int) -> None:
    from registry.services.package_checks import package_check_run

    package_check_run(package_id=package_id, worker=_worker_name())


@shared_task(name="registry.pipeline_advance")
def pipeline_advance(run_id: int) -> None:
    from registry.services.pipeline_steps import pipeline_advance as advance

    advance(run_id=run_id)


@shared_task(name="registry.pipeline_scheduled")
def pipeline_scheduled(pipeline_id: int) -> int | None:
    from registry.services.pipelines import pipeline_scheduled as run_scheduled

    run = run_scheduled(pipeline_id=pipeline_id)
    return run.id if run else None


@shared_task(name="registry.pipelines_check_triggers")
def pipelines_check_triggers() -> list[int]:
    from registry.services.pipelines import pipelines_check_triggers as check

    return check()
