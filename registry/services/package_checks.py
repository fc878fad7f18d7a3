"""Can the workers import a package's adapter? A worker answers; Train reads the answer."""

from django.db import transaction

from core import tasks
from core.tasks import task_send
from registry.models import Package


def package_check_request(*, package: Package) -> None:
    """Ask a training worker to try importing the adapter (after this transaction).

    The worker writes the answer (worker/package_checks.py)."""
    Package.objects.filter(pk=package.pk).update(check_status="unknown", check_message="")
    transaction.on_commit(
        lambda: task_send(tasks.CHECK_PACKAGE, args=[package.pk], queue="training")
    )
