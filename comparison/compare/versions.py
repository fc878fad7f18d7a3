"""The versions a comparison shows: the project's own, as the model list lists them."""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import Http404

from comparison.compare.selection import MAX_VERSIONS
from registry.models import ModelVersion, Project
from registry.selectors.models import MAX_LINEAGE_DEPTH, model_list_for_project

# The search box lists this many versions at a time.
PICKER_ROWS = 30


def comparable_versions(project: Project) -> QuerySet[ModelVersion]:
    """What a member may compare: the project's own versions. Public pretrained ones are
    left out, as in the evaluation section that reads the same link (its evaluations
    belong to a project, and a public version has none there)."""
    return ModelVersion.objects.filter(project=project)


def versions_for_selection(*, project: Project, ids: Sequence[int]) -> list[ModelVersion]:
    """The versions in the order asked, in one query; Http404 if any id is not comparable."""
    if not ids:
        return []
    rows = comparable_versions(project).filter(id__in=ids).select_related("package", "parent")
    found = {row.id: row for row in rows}
    if len(found) != len(set(ids)):
        raise Http404("No such model version in this project.")
    return [found[model_id] for model_id in ids]


def picker_versions(*, project: Project, search: str) -> list[ModelVersion]:
    """One page of the project's versions for the search box, newest first."""
    rows = model_list_for_project(project=project, search=search.strip())
    return list(rows.prefetch_related(None)[: PICKER_ROWS + 1])


def lineage_ids(*, project: Project, model: ModelVersion) -> list[int]:
    """The version's ancestors (root first), itself, then its descendants generation by
    generation; only comparable versions, at most MAX_VERSIONS of them."""
    ancestors = _ancestor_ids(project, model)
    found = [*ancestors, model.id]
    generation = [model.id]
    for _ in range(MAX_LINEAGE_DEPTH):
        if not generation or len(found) >= MAX_VERSIONS:
            break
        children = ModelVersion.objects.filter(project=project, parent_id__in=generation)
        generation = [
            child
            for child in children.order_by("created_at", "id").values_list("id", flat=True)
            if child not in found
        ]
        found.extend(generation)
    return found[:MAX_VERSIONS]


def _ancestor_ids(project: Project, model: ModelVersion) -> list[int]:
    chain: list[int] = []
    parent_id = model.parent_id
    seen = {model.id}
    while parent_id and parent_id not in seen and len(chain) < MAX_LINEAGE_DEPTH:
        parent = comparable_versions(project).filter(pk=parent_id).only("id", "parent_id").first()
        if parent is None:
            break
        chain.append(parent.id)
        seen.add(parent.id)
        parent_id = parent.parent_id
    chain.reverse()
    return chain
