"""Pipelines, their runs and the steps of each run."""

from rest_framework import serializers

from core.api.fields import VisibleRelatedField
from data.api.scopes import datasets_of
from data.models import Dataset
from pipelines.models import Pipeline, PipelineRun, PipelineStep, PipelineTrigger
from pipelines.services.pipelines import RULE_FIELDS
from registry.api.scopes import models_of, projects_of
from registry.models import ModelVersion, Project


class PipelineSerializer(serializers.ModelSerializer):
    champion_name = serializers.CharField(source="champion.name", read_only=True)
    dataset_name = serializers.CharField(source="dataset.name", read_only=True)

    class Meta:
        model = Pipeline
        fields = [
            "id",
            "project",
            "name",
            "dataset",
            "dataset_name",
            "champion",
            "champion_name",
            *RULE_FIELDS,
            "paused",
            "pending_trigger",
            "items_seen",
            "created_at",
        ]
        read_only_fields = fields


class PipelineUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    dataset = VisibleRelatedField(datasets_of, queryset=Dataset.objects.all(), required=False)
    champion = VisibleRelatedField(models_of, queryset=ModelVersion.objects.all(), required=False)
    overrides = serializers.DictField(required=False)
    trigger = serializers.ChoiceField(choices=PipelineTrigger.choices, required=False)
    new_items_threshold = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    schedule = serializers.CharField(max_length=100, required=False, allow_blank=True)
    metric = serializers.CharField(max_length=100, required=False)
    higher_is_better = serializers.BooleanField(required=False)
    min_improvement = serializers.FloatField(required=False)
    max_label_regression = serializers.FloatField(required=False, allow_null=True, min_value=0)
    auto_promote = serializers.BooleanField(required=False)


class PipelineCreateSerializer(PipelineUpdateSerializer):
    project = VisibleRelatedField(projects_of, queryset=Project.objects.all())
    name = serializers.CharField(max_length=100)
    dataset = VisibleRelatedField(datasets_of, queryset=Dataset.objects.all())
    champion = VisibleRelatedField(models_of, queryset=ModelVersion.objects.all())


class PipelineStepSerializer(serializers.ModelSerializer):
    duration = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = PipelineStep
        fields = ["name", "position", "status", "job", "message", "started_at", "finished_at"]
        fields += ["duration"]
        read_only_fields = fields


class PipelineRunSerializer(serializers.ModelSerializer):
    steps = PipelineStepSerializer(many=True, read_only=True)

    class Meta:
        model = PipelineRun
        fields = [
            "id",
            "pipeline",
            "status",
            "trigger",
            "champion",
            "challenger",
            "champion_evaluation",
            "challenger_evaluation",
            "decision",
            "train_items",
            "test_items",
            "data_checksum",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "steps",
        ]
        read_only_fields = fields


class RunAnswerSerializer(serializers.Serializer):
    run = PipelineRunSerializer(allow_null=True)
    pending = serializers.BooleanField(help_text="A run was active: this one runs after it.")
