"""Small helpers every page view uses."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry.access import project_for_user, role_for
from registry.models import Project, Role


def get_project_for_user(request: HttpRequest, project_id: int, role: str = Role.VIEWER) -> Project:
    """The project if the user is a member with `role` or above; 404 / 403 otherwise."""
    return project_for_user(request.user, project_id, role)


def render_project_page(
    request: HttpRequest,
    template: str,
    project: Project,
    section: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a page inside a project: adds `project`, the user's `role` and the nav `section`."""
    full = {"project": project, "role": role_for(request.user, project), "section": section}
    full.update(context or {})
    return render(request, template, full, status=status)
