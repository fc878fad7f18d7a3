"""Datasets, items and annotations: what goes in and out."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api.fields import VisibleRelatedField
from data.api.fields import AnnotationKindField
from data.api.scopes import datasets_of, items_of, labels_of
from data.models import Annotation, AnnotationKind, Dataset, Item, Label
from registry.api.fields import SubsetField
from registry.api.scopes import models_of, projects_of
from registry.models import ModelVersion, Project, Subset

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# What an import or a split answers: counts by what was added or by subset.
COUNTS_SCHEMA = {"type": "object", "additionalProperties": {"type": "integer"}}
MAX_ITEMS_PER_REQUEST = 100_000


# --- Datasets --------------------------------------------------------------


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "color"]
        read_only_fields = fields


LABEL_ENTRY_SCHEMA = {
    "oneOf": [
        {"type": "string", "description": "A label name; its colour is generated."},
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "An existing label, to rename it."},
                "name": {"type": "string"},
                "color": {"type": "string", "example": "#1f77b4"},
            },
            "required": ["name"],
        },
    ]
}


@extend_schema_field(LABEL_ENTRY_SCHEMA)
class LabelEntryField(serializers.Field):
    """One entry of a label map: a name, or {"id"?, "name", "color"?}."""

    def to_internal_value(self, data) -> dict:
        if isinstance(data, str):
            data = {"name": data}
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise serializers.ValidationError('A label is a name or {"name", "color"}.')
        entry = {"name": data["name"].strip()}
        if not entry["name"] or len(entry["name"]) > 100:
            raise serializers.ValidationError("Label names have 1 to 100 characters.")
        if data.get("color") is not None:
            if not COLOR.match(str(data["color"])):
                raise serializers.ValidationError("Colours are written #rrggbb.")
            entry["color"] = data["color"]
        if data.get("id") is not None:
            entry["id"] = serializers.IntegerField().to_internal_value(data["id"])
        return entry

    def to_representation(self, value):
        return value


class DatasetSerializer(serializers.ModelSerializer):
    labels = LabelSerializer(many=True, read_only=True, help_text="The label map, in order.")
    item_count = serializers.IntegerField(read_only=True)
    annotation_kind = AnnotationKindField(read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "id",
            "name",
            "project",
            "description",
            "annotation_kind",
            "labels",
            "item_count",
            "created_at",
        ]
        read_only_fields = fields


class DatasetCreateSerializer(serializers.Serializer):
    project = VisibleRelatedField(projects_of, queryset=Project.objects.all())
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    annotation_kind = AnnotationKindField(default=AnnotationKind.CLASS)
    labels = serializers.ListField(child=LabelEntryField(), default=list, max_length=1000)


class DatasetUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False)
    labels = serializers.ListField(
        child=LabelEntryField(),
        required=False,
        max_length=1000,
        help_text="Replaces the label map: keep a label's id to rename or recolour it.",
    )


class ImportSerializer(serializers.Serializer):
    archive = serializers.FileField(required=False, help_text="A zip of label/*.png folders.")
    coco = serializers.FileField(required=False, help_text="A COCO JSON file with boxes.")
    images = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="The COCO file's images: several files, or one zip.",
    )

    def validate(self, data: dict) -> dict:
        if bool(data.get("archive")) == bool(data.get("coco")):
            raise serializers.ValidationError({"archive": "Send either `archive` or `coco`."})
        if data.get("coco") and not data.get("images"):
            raise serializers.ValidationError({"images": "A COCO import needs its images."})
        return data


class SplitSerializer(serializers.Serializer):
    train = serializers.FloatField(min_value=0, max_value=100)
    validation = serializers.FloatField(min_value=0, max_value=100)
    test = serializers.FloatField(min_value=0, max_value=100)
    seed = serializers.IntegerField(default=0)

    def validate(self, data: dict) -> dict:
        if data["train"] + data["validation"] + data["test"] > 100:
            raise serializers.ValidationError({"test": "The percentages add up to over 100."})
        return data


class AssignSubsetSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=MAX_ITEMS_PER_REQUEST
    )
    subset = SubsetField()


class AssignedSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


# --- Items and annotations -------------------------------------------------


class AnnotationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label.name", read_only=True, help_text="The label name.")
    box = serializers.ListField(
        child=serializers.FloatField(), read_only=True, allow_null=True, help_text="[x, y, w, h]"
    )
    kind = AnnotationKindField(read_only=True)

    class Meta:
        model = Annotation
        fields = ["id", "name", "item", "label", "kind", "box", "model", "confidence", "created_at"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    annotations = AnnotationSerializer(
        many=True, read_only=True, source="truth", help_text="Ground truth only."
    )
    file_url = serializers.SerializerMethodField()
    subset = SubsetField(read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "name",
            "dataset",
            "subset",
            "width",
            "height",
            "size",
            "content_type",
            "metadata",
            "file_url",
            "annotations",
            "created_at",
        ]
        read_only_fields = fields

    def get_file_url(self, item: Item) -> str:
        return reverse("api-item-file", args=[item.pk], request=self.context.get("request"))


class ItemUploadSerializer(serializers.Serializer):
    dataset = VisibleRelatedField(datasets_of, queryset=Dataset.objects.all())
    files = serializers.ListField(
        child=serializers.FileField(), min_length=1, help_text="One or several image files."
    )
    subset = SubsetField(default=Subset.NONE)


class AnnotationCreateSerializer(serializers.Serializer):
    item = VisibleRelatedField(items_of, queryset=Item.objects.all())
    label = VisibleRelatedField(labels_of, queryset=Label.objects.all())
    kind = AnnotationKindField(required=False)
    box = serializers.ListField(
        child=serializers.FloatField(),
        min_length=4,
        max_length=4,
        required=False,
        allow_null=True,
        help_text="[x, y, w, h] in pixels from the top-left corner.",
    )
    model = VisibleRelatedField(
        models_of, queryset=ModelVersion.objects.all(), required=False, allow_null=True
    )
    confidence = serializers.FloatField(min_value=0, max_value=1, required=False, allow_null=True)


class AnnotationUpdateSerializer(serializers.Serializer):
    label = VisibleRelatedField(labels_of, queryset=Label.objects.all())
    box = serializers.ListField(
        child=serializers.FloatField(), min_length=4, max_length=4, help_text="[x, y, w, h]"
    )
