"""Reads for the package and model-version pages."""

import json

from django.db.models import Count, Q, QuerySet

from registry.models import ModelTag, ModelVersion, Package, Project

# The sort keys a user may ask for, and the columns (with a tie-breaker) they mean.
MODEL_ORDERINGS = {
    "name": ("name", "id"),
    "created": ("created_at", "id"),
    "status": ("status", "name"),
}
DEFAULT_MODEL_ORDER = "-created"
# Walking up a lineage stops here, so a corrupted parent chain cannot loop forever.
MAX_LINEAGE_DEPTH = 100


def packages_for_project(project: Project) -> QuerySet[Package]:
    """The public built-in packages and the project's own."""
    return Package.objects.filter(Q(project__isnull=True) | Q(project=project)).order_by(
        "project_id", "name"
    )


def package_list_for_project(project: Project) -> QuerySet[Package]:
    """Packages with the number of this project's versions that use each one."""
    return packages_for_project(project).annotate(
        version_count=Count("models", filter=Q(models__project=project))
    )


def model_list_for_project(
    *,
    project: Project,
    search: str = "",
    package: Package | int | None = None,
    status: str = "",
    tag: str = "",
    order: str = DEFAULT_MODEL_ORDER,
) -> QuerySet[ModelVersion]:
    """The project's model versions, filtered and sorted, with what each row shows joined in."""
    models = (
        ModelVersion.objects.filter(project=project)
        .select_related("package", "dataset", "parent")
        .prefetch_related("tags")
    )
    if search:
        models = models.filter(name__icontains=search)
    if package:
        models = models.filter(package_id=getattr(package, "id", package))
    if status:
        models = models.filter(status=status)
    if tag:
        # A tag name is unique on a model, so this join cannot duplicate rows.
        models = models.filter(tags__name=tag)
    return models.order_by(*model_ordering(order))


def model_ordering(order: str) -> list[str]:
    key = (order or "").lstrip("-")
    if key not in MODEL_ORDERINGS:
        return model_ordering(DEFAULT_MODEL_ORDER)
    prefix = "-" if order.startswith("-") else ""
    return [prefix + column for column in MODEL_ORDERINGS[key]]


def tag_names_for_project(project: Project) -> list[str]:
    return list(
        ModelTag.objects.filter(model__project=project)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )


def model_ancestors(model: ModelVersion) -> list[ModelVersion]:
    """The parent chain from the root down to `model`'s parent."""
    chain: list[ModelVersion] = []
    seen = {model.id}
    parent_id = model.parent_id
    while parent_id and parent_id not in seen and len(chain) < MAX_LINEAGE_DEPTH:
        parent = (
            ModelVersion.objects.filter(pk=parent_id)
            .only("id", "name", "project_id", "parent_id")
            .first()
        )
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.id)
        parent_id = parent.parent_id
    chain.reverse()
    return chain


def model_children(model: ModelVersion, project: Project) -> QuerySet[ModelVersion]:
    """Children in `project` only: clones of a public model live in many projects."""
    return model.children.filter(project=project).order_by("created_at", "id")


def flatten_configuration(configuration: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Nested keys joined with dots (a.b.c); leaf values as JSON, strings as they are."""
    rows: list[tuple[str, str]] = []
    for key, value in configuration.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            rows.extend(flatten_configuration(value, prefix=f"{path}."))
        else:
            rows.append((path, value if isinstance(value, str) else json.dumps(value)))
    return rows


def model_label_names(model: ModelVersion) -> list[str]:
    """The labels the model's adapter is built with: its own, else its dataset's."""
    if model.labels:
        return list(model.labels)
    if model.dataset_id is None:
        return []
    return list(model.dataset.labels.values_list("name", flat=True))
