"""Serializer fields of the data API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import enum_schema
from data.models import AnnotationKind


@extend_schema_field(enum_schema(AnnotationKind), component_name="AnnotationKind")
class AnnotationKindField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=AnnotationKind.choices, **kwargs)
