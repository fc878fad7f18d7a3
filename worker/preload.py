"""A worker process imports the libraries its jobs need when it starts, not in a job.

scikit-learn takes about 1.5 s to import and torch with torchvision about 2 s; paid
inside the first evaluation or training of a process, they would count against
that job (and its progress bar would stand still meanwhile). The web process never
comes here: only a Celery worker process sends `worker_process_init`.
"""

import importlib
import logging
import time

from celery.signals import worker_process_init
from django.conf import settings

logger = logging.getLogger(__name__)


@worker_process_init.connect(dispatch_uid="modelyard-preload")
def preload_on_start(**kwargs) -> None:
    if settings.WORKER_PRELOAD:
        preload(settings.WORKER_PRELOAD)


def preload(modules: list[str]) -> list[str]:
    """Import each of `modules` that is installed; returns the ones imported."""
    started, imported = time.monotonic(), []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as error:  # an optional library: its jobs will say what is missing
            logger.warning("preload: %s is not importable (%s)", name, error)
        else:
            imported.append(name)
    logger.info("preloaded %s in %.1f s", ", ".join(imported), time.monotonic() - started)
    return imported
