"""Celery tasks: they take ids, load rows and call a service."""

import socket

from celery import current_task, shared_task

from registry.services.health import heartbeat_record


@shared_task(name="registry.worker_heartbeat")
def worker_heartbeat() -> None:
    hostname = current_task.request.hostname or socket.gethostname()
    heartbeat_record(hostname=hostname)
