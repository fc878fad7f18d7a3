"""Package pages: the public built-in packages and the project's own."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.views import form_saved, paginate
from registry.forms.models import PackageForm
from registry.models import ModelVersion, Package, Project, Role
from registry.selectors.models import (
    flatten_configuration,
    package_list_for_project,
    packages_for_project,
)
from registry.services.package_checks import package_check_request
from registry.services.packages import package_create, package_delete, package_update
from registry.views.helpers import get_project_for_user, render_project_page

# The detail page lists this many versions and links to the filtered model list for the rest.
VERSIONS_SHOWN = 50


def _get_package_for_user(
    request: HttpRequest, project_id: int, package_id: int, role: str = Role.VIEWER
) -> tuple[Project, Package]:
    """A public package or one of the project's; another project's package is a 404."""
    project = get_project_for_user(request, project_id, role)
    try:
        package = packages_for_project(project).get(pk=package_id)
    except Package.DoesNotExist:
        raise Http404("No such package.") from None
    return project, package


def _get_own_package(request: HttpRequest, project_id: int, package_id: int):
    project, package = _get_package_for_user(request, project_id, package_id, Role.DEVELOPER)
    if package.is_public:
        raise PermissionDenied("Built-in packages are read-only.")
    return project, package


def _render_form(request: HttpRequest, project: Project, form, package=None) -> HttpResponse:
    context = {"form": form, "package": package}
    status = 400 if form.errors else 200
    return render_project_page(
        request, "registry/packages/form.html", project, "packages", context, status=status
    )


@login_required
def package_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    page = paginate(request, package_list_for_project(project))
    return render_project_page(
        request, "registry/packages/list.html", project, "packages", {"page": page}
    )


@login_required
def package_detail(request: HttpRequest, project_id: int, package_id: int) -> HttpResponse:
    project, package = _get_package_for_user(request, project_id, package_id)
    versions = ModelVersion.objects.filter(project=project, package=package)
    pretrained = ModelVersion.objects.none()
    if package.is_public:
        pretrained = ModelVersion.objects.filter(project__isnull=True, package=package)
    context = {
        "package": package,
        "configuration_rows": flatten_configuration(package.default_configuration),
        "configuration_json": json.dumps(package.default_configuration, indent=2),
        "versions": versions.order_by("-created_at")[:VERSIONS_SHOWN],
        "version_count": versions.count(),
        "pretrained": pretrained.order_by("name"),
    }
    return render_project_page(
        request, "registry/packages/detail.html", project, "packages", context
    )


@login_required
def package_create_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.DEVELOPER)
    form = PackageForm(request.POST or None)
    package = form_saved(
        request, form, lambda data: package_create(project=project, user=request.user, **data)
    )
    if package is not None:
        messages.success(request, f"Package {package.name} created.")
        return redirect("registry:package_detail", project.id, package.id)
    return _render_form(request, project, form)


@login_required
def package_edit(request: HttpRequest, project_id: int, package_id: int) -> HttpResponse:
    project, package = _get_own_package(request, project_id, package_id)
    initial = {field: getattr(package, field) for field in PackageForm.base_fields}
    form = PackageForm(request.POST or None, initial=initial)
    saved = form_saved(request, form, lambda data: package_update(package=package, **data))
    if saved is not None:
        messages.success(request, "Package saved.")
        return redirect("registry:package_detail", project.id, package.id)
    return _render_form(request, project, form, package)


@login_required
def package_delete_view(request: HttpRequest, project_id: int, package_id: int) -> HttpResponse:
    project, package = _get_own_package(request, project_id, package_id)
    if request.method == "POST":
        try:
            package_delete(package=package)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("registry:package_detail", project.id, package.id)
        messages.success(request, f"Package {package.name} deleted.")
        return redirect("registry:package_list", project.id)
    context = {"package": package, "version_count": package.models.count()}
    return render_project_page(
        request, "registry/packages/delete.html", project, "packages", context
    )


@login_required
@require_POST
def package_check_view(request: HttpRequest, project_id: int, package_id: int) -> HttpResponse:
    """Ask a training worker again whether it can import the adapter."""
    project, package = _get_package_for_user(request, project_id, package_id, Role.DEVELOPER)
    package_check_request(package=package)
    messages.info(request, "A worker is checking the adapter; reload in a moment.")
    return redirect("registry:package_detail", project.id, package.id)
