"""Each worker says, every WORKER_PRESENCE_SECONDS, that it is alive and which queues it
consumes, so the pages can warn when nothing listens on a model's queue.

A thread of the worker's main process writes its WorkerHeartbeat row: it works on
every broker (the filesystem transport has no broadcast for `celery inspect`). A
worker that stops says so by emptying its queues; one that dies falls silent and is
counted out after three missed beats.
"""

import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import connection

from jobs.services import heartbeat_record

_stop = threading.Event()


@worker_ready.connect(dispatch_uid="modelyard-presence-start")
def presence_start(sender, **kwargs) -> None:
    queues = sorted(sender.app.amqp.queues.consume_from)
    thread = threading.Thread(
        target=_beat, args=(sender.hostname, queues), name="modelyard-presence", daemon=True
    )
    thread.start()


@worker_shutdown.connect(dispatch_uid="modelyard-presence-stop")
def presence_stop(sender, **kwargs) -> None:
    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if hostname:
        heartbeat_record(hostname=hostname, queues=[])


def _beat(hostname: str, queues: list[str]) -> None:
    try:
        heartbeat_record(hostname=hostname, queues=queues)
        while not _stop.wait(settings.WORKER_PRESENCE_SECONDS):
            heartbeat_record(hostname=hostname, queues=queues)
    finally:
        connection.close()
