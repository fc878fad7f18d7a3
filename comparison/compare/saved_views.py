"""Saved comparison views: any member saves one; its author or an owner deletes it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict

from comparison.compare.selection import canonical_query, query_string, selection_from_query
from comparison.compare.versions import versions_for_selection
from comparison.models import SavedComparisonView
from comparison.models.saved_views import MAX_QUERY_LENGTH
from registry.access import has_role
from registry.models import Project, Role

# The page lists this many; the list page pages through the rest.
PAGE_LIST_LIMIT = 20


def saved_views_for_project(project: Project) -> QuerySet[SavedComparisonView]:
    return SavedComparisonView.objects.filter(project=project).select_related("created_by")


def saved_view_create(*, project: Project, user, name: str, query: str) -> SavedComparisonView:
    """Store the canonical form of `query`; ValidationError for a bad name or a taken one.
    Http404 if the query names a version the project cannot compare."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "A saved view needs a name."})
    if len(name) > 100:
        raise ValidationError({"name": "At most 100 characters."})
    canonical = query_string(canonical_query(QueryDict(query or "")))
    if len(canonical) > MAX_QUERY_LENGTH:
        raise ValidationError({"query": "This view is too long to save."})
    selection = selection_from_query(QueryDict(canonical))
    versions_for_selection(project=project, ids=selection.model_ids)
    try:
        with transaction.atomic():
            return SavedComparisonView.objects.create(
                project=project, name=name, query=canonical, created_by=user
            )
    except IntegrityError:
        raise ValidationError({"name": f"A view named {name!r} exists already."}) from None


def can_delete(view: SavedComparisonView, user) -> bool:
    return view.created_by_id == user.id or has_role(user, view.project_id, Role.OWNER)


def saved_view_delete(*, view: SavedComparisonView, user) -> None:
    if not can_delete(view, user):
        raise PermissionDenied("Only the view's author or a project owner can delete it.")
    view.delete()
