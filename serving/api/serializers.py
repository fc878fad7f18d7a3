"""Deployments, predict requests and their answers, and accepting predictions."""

from rest_framework import serializers

from jobs.api.serializers import JobSerializer
from serving.models import Deployment
from serving.services import MAX_PREDICT_ITEMS


class DeploymentSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    model_name = serializers.CharField(source="model.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    stopped_by = serializers.CharField(source="stopped_by.username", read_only=True, default=None)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "name",
            "project",
            "model",
            "model_name",
            "state",
            "queue",
            "concurrency",
            "artifacts",
            "error",
            "worker",
            "created_by",
            "created_at",
            "ready_at",
            "stopped_by",
            "stopped_at",
            "heartbeat_at",
        ]
        read_only_fields = fields

    def get_name(self, deployment: Deployment) -> str:
        return f"{deployment.model.name} #{deployment.id}"


class DeploySerializer(serializers.Serializer):
    concurrency = serializers.IntegerField(min_value=1, max_value=32, default=1)


class PredictSerializer(serializers.Serializer):
    """Either item ids (a job runs them) or one image (answered now)."""

    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_PREDICT_ITEMS,
        help_text="Item ids of the model's project: answered 202 with the job.",
    )
    image = serializers.ImageField(
        required=False, help_text="One image (multipart): answered 200 with its predictions."
    )

    def validate(self, data: dict) -> dict:
        if bool(data.get("items")) == bool(data.get("image")):
            raise serializers.ValidationError(
                {"items": "Send either item ids in `items` or one `image`, not both or neither."}
            )
        return data


class PredictionSerializer(serializers.Serializer):
    label = serializers.CharField()
    confidence = serializers.FloatField()
    box = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    scores = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text="A classifier's probability of every label, when its package gives them.",
    )


class PredictImageAnswerSerializer(serializers.Serializer):
    predictions = PredictionSerializer(many=True)


class PredictItemsAnswerSerializer(JobSerializer):
    pass


class AcceptSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=10_000
    )


class AcceptAnswerSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
