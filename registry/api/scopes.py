"""What each caller can see: the rows of their projects, plus public rows where they exist.

Every API queryset and every id the body names starts here, so an object of a
project the caller is not a member of simply does not exist for them (404).
"""

from django.db.models import QuerySet

from registry.access import readable_q, visible_project_ids
from registry.models import Artifact, Membership, ModelVersion, Package, Project


def projects_of(user) -> QuerySet[Project]:
    return Project.objects.filter(id__in=visible_project_ids(user))


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(project__in=visible_project_ids(user))


def packages_of(user) -> QuerySet[Package]:
    return Package.objects.filter(readable_q(user))


def models_of(user) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(readable_q(user))


def artifacts_of(user) -> QuerySet[Artifact]:
    return Artifact.objects.filter(readable_q(user, "model__project"))


def in_visible_projects(model):
    """`visible(user)` for a model of another app with a `project` field: the rows of
    the caller's projects (used where this app names a row of an app above it)."""

    def visible(user) -> QuerySet:
        return model.objects.filter(project__in=visible_project_ids(user))

    return visible
