"""What each caller can see of the data: the rows of their projects (see registry/api/scopes.py)."""

from django.db.models import QuerySet

from data.models import Annotation, Dataset, Item, Label
from registry.access import visible_project_ids


def datasets_of(user) -> QuerySet[Dataset]:
    return Dataset.objects.filter(project__in=visible_project_ids(user))


def labels_of(user) -> QuerySet[Label]:
    return Label.objects.filter(dataset__project__in=visible_project_ids(user))


def items_of(user) -> QuerySet[Item]:
    return Item.objects.filter(dataset__project__in=visible_project_ids(user))


def annotations_of(user) -> QuerySet[Annotation]:
    return Annotation.objects.filter(item__dataset__project__in=visible_project_ids(user))
