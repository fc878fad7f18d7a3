"""The worker's answer to "can you import this package's adapter?" (asked by
registry.services.package_checks), kept on the package for Train to read."""

from django.utils import timezone

from registry.models import Package
from worker.loading import AdapterNotFound, adapter_class


def package_check_run(*, package_id: int, worker: str) -> Package:
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
