"""Serializer fields any API module may use."""

from collections.abc import Callable

from django.db.models import QuerySet
from rest_framework import serializers

from core.api.errors import ReferenceNotFound


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id naming a row the caller can see.

    A row of a project the caller is not in answers 404 naming the field, the same
    as when its id is in the URL; a malformed id is a plain 400.
    """

    def __init__(self, visible: Callable[[object], QuerySet], **kwargs) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.visible(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).strip().isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = self.get_queryset().filter(pk=int(data)).first()
        if found is None:
            noun = self.queryset.model._meta.verbose_name
            raise ReferenceNotFound(self.field_name, f"No {noun} with id {data}.")
        return found


def enum_schema(choices) -> dict:
    return {"type": "string", "enum": list(choices.values)}


class BoundedListField(serializers.Field):
    """A list of at most `limit` rows, handed to the service as it came (the service
    checks each row and names the bad ones by index)."""

    def __init__(self, *, limit: int, noun: str, **kwargs) -> None:
        self.limit, self.noun = limit, noun
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list:
        if not isinstance(data, list):
            raise serializers.ValidationError(f"Send a list of {self.noun}.")
        if len(data) > self.limit:
            raise serializers.ValidationError(
                f"At most {self.limit} {self.noun} per request; got {len(data)}."
            )
        return data
