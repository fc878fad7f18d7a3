from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.views import form_saved
from registry.forms.projects import ProjectForm
from registry.models import Role
from registry.selectors.projects import project_overview, projects_for_user, roles_by_project
from registry.services.projects import project_create, project_delete, project_update
from registry.views.helpers import get_project_for_user, render_project_page


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("registry:project_list")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    project = form_saved(request, form, lambda data: project_create(user=request.user, **data))
    if project is not None:
        messages.success(request, f"Project {project.name} created. You are its owner.")
        return redirect("registry:project_detail", project.id)
    projects = projects_for_user(request.user)
    roles = roles_by_project(request.user)
    rows = [(project, roles.get(project.id)) for project in projects]
    status = 400 if form.errors else 200
    context = {"rows": rows, "form": form}
    return render(request, "registry/projects/list.html", context, status=status)


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    return render_project_page(
        request, "registry/projects/detail.html", project, "overview", project_overview(project)
    )


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    initial = {"name": project.name, "description": project.description}
    form = ProjectForm(request.POST or None, initial=initial)
    saved = form_saved(request, form, lambda data: project_update(project=project, **data))
    if saved is not None:
        messages.success(request, "Project saved.")
        return redirect("registry:project_detail", project.id)
    context = {"form": form}
    return render_project_page(request, "registry/projects/edit.html", project, "overview", context)


@login_required
def project_delete_confirm(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    context = {
        "dataset_count": project.datasets.count(),
        "model_count": project.models.count(),
        "package_count": project.packages.count(),
        "pipeline_count": project.pipelines.count(),
    }
    return render_project_page(
        request, "registry/projects/delete.html", project, "overview", context
    )


@login_required
@require_POST
def project_delete_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    if request.POST.get("confirm_name") != project.name:
        messages.error(request, "Type the project's name exactly to delete it.")
        return redirect("registry:project_delete", project.id)
    name = project.name
    project_delete(project=project)
    messages.success(request, f"Project {name} and everything in it were deleted.")
    return redirect("registry:project_list")
