import re

from django.core.exceptions import ValidationError
from django.db import transaction

from core.names import name_checked
from registry.models import OutputType, Package, Project
from registry.services.package_checks import package_check_request

ADAPTER_PATH = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*$")
# Or the name of an entry point in the `modelyard.adapters` group (worker/loading.py).
ENTRY_POINT_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*$")


@transaction.atomic
def package_create(
    *,
    project: Project | None,
    name: str,
    adapter: str,
    output_type: str,
    user=None,
    description: str = "",
    input_type: str = "image",
    default_configuration: dict | None = None,
) -> Package:
    name = _checked_name(project, name)
    package = Package(
        project=project,
        name=name,
        description=description,
        input_type=input_type,
        output_type=output_type,
        default_configuration=default_configuration or {},
        adapter=adapter,
        created_by=user,
    )
    _validate(package)
    package.save()
    package_check_request(package=package)
    return package


def package_update(*, package: Package, **fields) -> Package:
    if "name" in fields and fields["name"] != package.name:
        fields["name"] = _checked_name(package.project, fields["name"], exclude=package)
    adapter_changed = "adapter" in fields and fields["adapter"] != package.adapter
    for field, value in fields.items():
        setattr(package, field, value)
    _validate(package)
    package.save()
    if adapter_changed:
        package_check_request(package=package)
    return package


def package_delete(*, package: Package) -> None:
    in_use = package.models.count()
    if in_use:
        raise ValidationError(
            {"package": f"{in_use} model version(s) use this package; delete them first."}
        )
    package.delete()


def _validate(package: Package) -> None:
    adapter = package.adapter or ""
    if not (ADAPTER_PATH.match(adapter) or ENTRY_POINT_NAME.match(adapter)):
        raise ValidationError(
            {
                "adapter": "The adapter is written module.path:ClassName, or is the name of "
                "an entry point in the modelyard.adapters group."
            }
        )
    if package.output_type not in OutputType.values:
        raise ValidationError(
            {"output_type": f"Output type is one of {', '.join(OutputType.values)}."}
        )
    if package.input_type != "image":
        raise ValidationError({"input_type": "Only image input is supported."})
    if not isinstance(package.default_configuration, dict):
        raise ValidationError(
            {"default_configuration": "The default configuration is a JSON object."}
        )


def _checked_name(project: Project | None, name: str, exclude: Package | None = None) -> str:
    siblings = Package.objects.filter(project=project)
    return name_checked(name, noun="package", siblings=siblings, exclude=exclude, where="here")
