from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from registry.models import Artifact, Membership, Project, Role


@transaction.atomic
def project_create(*, name: str, description: str = "", user) -> Project:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A project needs a name."})
    if Project.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A project named {name!r} already exists."})
    project = Project.objects.create(name=name, description=description, created_by=user)
    Membership.objects.create(project=project, user=user, role=Role.OWNER)
    return project


def project_update(
    *, project: Project, name: str | None = None, description: str | None = None
) -> Project:
    if name is not None:
        name = name.strip()
        taken = Project.objects.filter(name__iexact=name).exclude(pk=project.pk).exists()
        if not name or taken:
            raise ValidationError({"name": "The name is empty or taken by another project."})
        project.name = name
    if description is not None:
        project.description = description
    project.save()
    return project


def member_add(*, project: Project, username: str, role: str) -> Membership:
    _check_role_name(role)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": f"No user named {username!r}."})
    if Membership.objects.filter(project=project, user=user).exists():
        raise ValidationError({"username": f"{username} is already a member."})
    return Membership.objects.create(project=project, user=user, role=role)


@transaction.atomic
def member_change_role(*, membership: Membership, role: str) -> Membership:
    _check_role_name(role)
    if membership.role == Role.OWNER and role != Role.OWNER:
        _keep_one_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    if membership.role == Role.OWNER:
        _keep_one_owner(membership)
    membership.delete()


def _check_role_name(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of {', '.join(Role.values)}."})


def _keep_one_owner(membership: Membership) -> None:
    # Lock the owner rows so two concurrent demotions cannot both pass.
    owners = Membership.objects.select_for_update().filter(
        project_id=membership.project_id, role=Role.OWNER
    )
    if owners.exclude(pk=membership.pk).count() == 0:
        raise ValidationError({"role": "A project keeps at least one owner."})


@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project with everything in it; stored files go once the rows are gone.

    The artifacts' files are this app's to remove (a file a clone in another project
    shares stays); each dataset removes its own images (data/receivers.py)."""
    artifacts = Artifact.objects.filter(model__project=project)
    shared = set(
        Artifact.objects.exclude(model__project=project)
        .filter(file__in=artifacts.values("file"))
        .values_list("file", flat=True)
    )
    files = [name for name in artifacts.values_list("file", flat=True) if name not in shared]
    project.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
