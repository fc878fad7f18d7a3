"""Celery tasks of the comparison app: they take ids, load rows and call a service."""

import socket

from celery import current_task, shared_task


def _worker_name() -> str:
    return current_task.request.hostname or socket.gethostname()


@shared_task(name="comparison.compute_evaluation", acks_late=True)
def compute_evaluation(job_id: int) -> None:
    from comparison.evaluations.compute_task import run_compute_job

    run_compute_job(job_id, worker=_worker_name())


@shared_task(name="comparison.evaluate_model", acks_late=True)
def evaluate_model(job_id: int) -> None:
    from comparison.evaluations.online import run_evaluation_job

    run_evaluation_job(job_id, worker=_worker_name())
