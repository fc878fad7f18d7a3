"""Can the workers import a package's adapter? A worker answers; Train reads the answer."""

from django.db import transaction
from django.utils import timezone

from registry.models import Package


def package_check_request(*, package: Package) -> None:
    """Ask a training worker to try importing the adapter (after this transaction)."""
    from registry.tasks import check_package

    Package.objects.filter(pk=package.pk).update(check_status="unknown", check_message="")
    transaction.on_commit(lambda: check_package.apply_async(args=[package.pk], queue="training"))


def package_check_run(*, package_id: int, worker: str) -> Package:
    from registry.runner.loading import AdapterNotFound, adapter_class

    package = Package.objects.get(pk=package_id)
    try:
        found = adapter_class(package.adapter)
    except AdapterNotFound as error:
        status, message = "failed", f"{worker}: {error}"
    else:
        status, message = "ok", f"{worker} imports {found.__module__}.{found.__qualname__}"
    Package.objects.filter(pk=package_id).update(
        check_status=status, check_message=message, checked_at=timezone.now()
    )
    package.refresh_from_db()
    return package
