"""Every object is reached through its project and the user's membership.

Not a member: the object does not exist for you (404). A member whose role is
too low: 403. Public packages and public model versions are readable by every
signed-in user and writable by nobody but staff through the admin.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from registry.models import Membership, Project, Role


def membership_for(user, project: Project | int) -> Membership | None:
    if not user.is_authenticated:
        return None
    project_id = project if isinstance(project, int) else project.id
    cache = user.__dict__.setdefault("_modelyard_memberships", {})
    if project_id not in cache:
        cache[project_id] = Membership.objects.filter(user=user, project_id=project_id).first()
    return cache[project_id]


def role_for(user, project: Project | int) -> str | None:
    membership = membership_for(user, project)
    return membership.role if membership else None


def check_role(user, project: Project | int, role: str = Role.VIEWER) -> Membership:
    """The user's membership; Http404 for outsiders, PermissionDenied below `role`."""
    membership = membership_for(user, project)
    if membership is None:
        raise Http404("No such project.")
    if not membership.allows(role):
        raise PermissionDenied(f"This needs the {role} role or above in the project.")
    return membership


def has_role(user, project: Project | int, role: str) -> bool:
    membership = membership_for(user, project)
    return membership is not None and membership.allows(role)


def visible_project_ids(user) -> QuerySet:
    return Membership.objects.filter(user=user).values("project_id")


def readable_q(user, project_field: str = "project") -> Q:
    """Rows of the user's projects, plus public rows where `project` is empty."""
    return Q(**{f"{project_field}__in": visible_project_ids(user)}) | Q(
        **{f"{project_field}__isnull": True}
    )


def project_for_user(user, project_id: int, role: str = Role.VIEWER) -> Project:
    try:
        project = Project.objects.get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None
    check_role(user, project, role)
    return project


def signed_in_or_none(user):
    """The user to record as author (created_by, accepted_by...): None for an anonymous
    caller or a background task that has no user."""
    return user if getattr(user, "is_authenticated", False) else None
