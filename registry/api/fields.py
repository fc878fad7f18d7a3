"""Serializer fields shared by the API modules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import enum_schema
from registry.models import ModelStatus, Subset


# One named schema per choice set, whatever the field is called (subset, train_subset,
# ...), so the OpenAPI document has a single `Subset` enum instead of one per field.
@extend_schema_field(enum_schema(Subset), component_name="Subset")
class SubsetField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=Subset.choices, **kwargs)


@extend_schema_field(enum_schema(ModelStatus), component_name="ModelStatus")
class ModelStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=ModelStatus.choices, **kwargs)
