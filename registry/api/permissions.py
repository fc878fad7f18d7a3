"""Object-level role checks for the API.

Querysets already hold only what the caller may read (their projects' rows plus
public rows), so an outsider gets 404 before this runs. Here a member whose role
is too low for the action gets 403, and public rows are read-only.
"""

from rest_framework import exceptions, permissions
from rest_framework.request import Request

from registry.access import check_role
from registry.models import Role


class ProjectRolePermission(permissions.BasePermission):
    def has_object_permission(self, request: Request, view, obj) -> bool:
        role = view.role_needed()
        if role == Role.VIEWER:
            return True
        project_id = view.project_id_of(obj)
        if project_id is None:
            raise exceptions.PermissionDenied("Public objects are read-only.")
        check_role(request.user, project_id, role)
        return True
