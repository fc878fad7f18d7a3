"""Packages, model versions and artifacts: what goes in and out."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api.fields import VisibleRelatedField
from registry.api.fields import ModelStatusField, SubsetField
from registry.api.scopes import in_visible_projects, models_of, packages_of, projects_of
from registry.models import (
    Artifact,
    InputType,
    ModelStatus,
    ModelVersion,
    OutputType,
    Package,
    Project,
    StatusChange,
    queue_name,
)

# A new version starts empty, or from weights imported with it.
CREATE_STATUSES = [ModelStatus.CREATED, ModelStatus.PRE_TRAINED]

# The data app builds on this one, so the dataset model is reached through the field.
DATASET = ModelVersion._meta.get_field("dataset").related_model


# --- Packages --------------------------------------------------------------


class PackageSerializer(serializers.ModelSerializer):
    public = serializers.BooleanField(source="is_public", read_only=True)

    class Meta:
        model = Package
        fields = [
            "id",
            "name",
            "project",
            "public",
            "description",
            "input_type",
            "output_type",
            "default_configuration",
            "adapter",
            "created_at",
        ]
        read_only_fields = fields


class PackageUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False)
    input_type = serializers.ChoiceField(choices=InputType.choices, required=False)
    output_type = serializers.ChoiceField(choices=OutputType.choices)
    default_configuration = serializers.DictField(required=False)
    adapter = serializers.CharField(max_length=200, help_text="module.path:ClassName")


class PackageCreateSerializer(PackageUpdateSerializer):
    project = VisibleRelatedField(
        projects_of,
        queryset=Project.objects.all(),
        help_text="Public packages are built in; the API creates project packages.",
    )


# --- Model versions --------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    from_status = serializers.CharField(read_only=True, help_text="Empty when created.")
    to_status = ModelStatusField(read_only=True)

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "changed_by", "reason", "changed_at"]
        read_only_fields = fields


class ArtifactSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Artifact
        fields = ["id", "name", "size", "sha256"]
        read_only_fields = fields


class ModelSerializer(serializers.ModelSerializer):
    public = serializers.BooleanField(source="is_public", read_only=True)
    package_name = serializers.CharField(source="package.name", read_only=True)
    tags = serializers.SerializerMethodField()
    status = ModelStatusField(read_only=True)
    train_subset = SubsetField(read_only=True)
    validation_subset = SubsetField(read_only=True)
    test_subset = SubsetField(read_only=True)

    class Meta:
        model = ModelVersion
        fields = [
            "id",
            "name",
            "project",
            "public",
            "package",
            "package_name",
            "status",
            "description",
            "configuration",
            "queue",
            "labels",
            "tags",
            "dataset",
            "train_subset",
            "validation_subset",
            "test_subset",
            "parent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_tags(self, model: ModelVersion) -> list[str]:
        return [tag.name for tag in model.tags.all()]


class ModelDetailSerializer(ModelSerializer):
    """One version with its history and lineage, as the detail page shows it."""

    status_history = StatusChangeSerializer(many=True, read_only=True, source="status_changes")
    children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    artifacts = ArtifactSummarySerializer(many=True, read_only=True)

    class Meta(ModelSerializer.Meta):
        fields = [*ModelSerializer.Meta.fields, "status_history", "children", "artifacts"]
        read_only_fields = fields


class ModelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False)
    configuration = serializers.DictField(required=False)
    queue = serializers.CharField(
        max_length=50,
        required=False,
        validators=[queue_name],
        help_text="The queue its trainings go to (default `training`).",
    )
    labels = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    dataset = VisibleRelatedField(
        in_visible_projects(DATASET),
        queryset=DATASET.objects.all(),
        required=False,
        allow_null=True,
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    train_subset = SubsetField(required=False)
    validation_subset = SubsetField(required=False)
    test_subset = SubsetField(required=False)


class ModelCreateSerializer(ModelUpdateSerializer):
    project = VisibleRelatedField(projects_of, queryset=Project.objects.all())
    package = VisibleRelatedField(packages_of, queryset=Package.objects.all())
    status = serializers.ChoiceField(choices=CREATE_STATUSES, default=ModelStatus.CREATED)


class CloneSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    model_name = serializers.CharField(max_length=100, required=False, help_text="Same as name.")
    configuration = serializers.DictField(
        required=False, default=dict, help_text="Deep-merged over the parent's configuration."
    )
    dataset = VisibleRelatedField(
        in_visible_projects(DATASET),
        queryset=DATASET.objects.all(),
        required=False,
        allow_null=True,
    )
    project = VisibleRelatedField(
        projects_of,
        queryset=Project.objects.all(),
        required=False,
        help_text="Where the clone goes; needed when cloning a public model.",
    )
    description = serializers.CharField(allow_blank=True, required=False)

    def validate(self, data: dict) -> dict:
        name = data.pop("model_name", None)
        data["name"] = data.get("name") or name
        if not data["name"]:
            raise serializers.ValidationError({"name": "The clone needs a name."})
        return data


# --- Artifacts -------------------------------------------------------------


class ArtifactSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Artifact
        fields = [
            "id",
            "name",
            "model",
            "size",
            "sha256",
            "content_type",
            "download_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, artifact: Artifact) -> str:
        request = self.context.get("request")
        return reverse("api-artifact-download", args=[artifact.pk], request=request)


class ArtifactUploadSerializer(serializers.Serializer):
    model = VisibleRelatedField(models_of, queryset=ModelVersion.objects.all())
    file = serializers.FileField()
    name = serializers.CharField(max_length=200, required=False, help_text="Default: file name.")
    replace = serializers.BooleanField(
        default=False, help_text="Replace an artifact of the same name."
    )
