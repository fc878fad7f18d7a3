from django.db.models import Count, QuerySet

from registry.models import Membership, ModelVersion, Project


def projects_for_user(user) -> QuerySet[Project]:
    """The user's projects with their role and what they hold, for the project list."""
    return (
        Project.objects.filter(memberships__user=user)
        .annotate(
            dataset_count=Count("datasets", distinct=True),
            model_count=Count("models", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name")
    )


def roles_by_project(user) -> dict[int, str]:
    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


def project_overview(project: Project) -> dict:
    datasets = project.datasets.annotate(item_count=Count("items")).order_by("name")
    recent = (
        ModelVersion.objects.filter(project=project)
        .select_related("package")
        .order_by("-created_at")[:10]
    )
    return {
        "datasets": datasets,
        "recent_models": recent,
        "model_count": project.models.count(),
        "members": project.memberships.select_related("user").order_by("user__username"),
    }


def members_of(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("user__username")
