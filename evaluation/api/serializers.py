"""Request and response shapes of the evaluation endpoints.

Prediction rows are checked by `predictions_add` (which names the bad row), not by a
nested serializer: 10,000 rows through DRF fields would cost more than storing them.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import BoundedListField, VisibleRelatedField
from data.api.scopes import datasets_of
from data.models import Dataset
from evaluation.api.serializers_marks import MARK_FILTER_CHOICES, ErrorMarkSerializer
from evaluation.models import Evaluation
from evaluation.reviews import target_key
from evaluation.selectors import FN_KINDS, FP_KINDS, ORDERS
from evaluation.services import MAX_ROWS
from registry.api.scopes import models_of
from registry.models import ModelVersion, Subset


class EvaluatedSubsetField(serializers.ChoiceField):
    """The subset an evaluation reads: test unless told; "" or null: every item."""

    def __init__(self, **kwargs) -> None:
        options = {"required": False, "allow_null": True, "allow_blank": True, "default": "test"}
        super().__init__(choices=["", *Subset.values], **{**options, **kwargs})


class EvaluationCreateSerializer(serializers.Serializer):
    model = VisibleRelatedField(models_of, queryset=ModelVersion.objects.all())
    dataset = VisibleRelatedField(datasets_of, queryset=Dataset.objects.all())
    subset = EvaluatedSubsetField()
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PredictionRowSerializer(serializers.Serializer):
    """For the schema only; predictions_add checks the rows."""

    item = serializers.CharField(help_text="The item's id, or its file name in the dataset.")
    label = serializers.CharField(help_text="A label name of the dataset's label map.")
    confidence = serializers.FloatField(min_value=0, max_value=1)
    box = serializers.ListField(
        child=serializers.FloatField(),
        min_length=4,
        max_length=4,
        required=False,
        help_text="[x, y, width, height] in pixels; boxes evaluations only.",
    )


@extend_schema_field(PredictionRowSerializer(many=True))
class PredictionListField(BoundedListField):
    """A list of up to 10,000 predictions, handed to the service as it came."""


class PredictionsUploadSerializer(serializers.Serializer):
    predictions = PredictionListField(limit=MAX_ROWS, noun="predictions")


class AcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="How many predictions were stored.")


class EvaluationSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name", read_only=True)
    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    # Plain strings: as enums they would collide in the schema with the jobs' kind / status.
    kind = serializers.CharField(read_only=True, help_text="class or box.")
    mode = serializers.CharField(read_only=True, help_text="online or offline.")
    status = serializers.CharField(
        read_only=True, help_text="created, queued, running, succeeded or failed."
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "name",
            "project",
            "model",
            "model_name",
            "dataset",
            "dataset_name",
            "subset",
            "kind",
            "mode",
            "status",
            "job",
            "iou_threshold",
            "confidence_threshold",
            "item_count",
            "prediction_count",
            "ground_truth_count",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class CountsSerializer(serializers.Serializer):
    tp = serializers.IntegerField()
    fp = serializers.IntegerField()
    fn = serializers.IntegerField()
    precision = serializers.FloatField()
    recall = serializers.FloatField()
    f1 = serializers.FloatField()


class CountsAnswerSerializer(CountsSerializer):
    iou = serializers.FloatField(help_text="The stored threshold used (the nearest asked).")
    min_confidence = serializers.FloatField()
    per_label = serializers.DictField(child=CountsSerializer(), help_text="By label name.")


class EvaluationDetailSerializer(EvaluationSerializer):
    summary = serializers.JSONField(read_only=True)
    per_label = serializers.JSONField(read_only=True)
    confusion = serializers.JSONField(read_only=True)
    pr_curves = serializers.JSONField(read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta(EvaluationSerializer.Meta):
        fields = [
            *EvaluationSerializer.Meta.fields,
            "summary",
            "per_label",
            "confusion",
            "pr_curves",
            "counts",
        ]
        read_only_fields = fields

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_counts(self, evaluation: Evaluation) -> dict | None:
        """TP / FP / FN at the evaluation's own thresholds, stored when it was computed."""
        return (evaluation.summary or {}).get("counts")


class CountsQuerySerializer(serializers.Serializer):
    iou = serializers.FloatField(min_value=0.5, max_value=0.95, required=False, default=0.5)
    min_confidence = serializers.FloatField(min_value=0, max_value=1, required=False, default=0)
    label = serializers.CharField(required=False, help_text="A label name.")


class ErrorsQuerySerializer(CountsQuerySerializer):
    kind = serializers.ChoiceField(choices=["fp", "fn"], required=False, default="fp")
    max_confidence = serializers.FloatField(min_value=0, max_value=1, required=False)
    error_kind = serializers.ChoiceField(choices=sorted({*FP_KINDS, *FN_KINDS}), required=False)
    order = serializers.ChoiceField(choices=ORDERS, required=False, default="-confidence")
    mark = serializers.ChoiceField(
        choices=MARK_FILTER_CHOICES,
        required=False,
        help_text="unmarked: errors nobody has reviewed; a verdict: the errors marked so.",
    )


class ErrorSerializer(serializers.Serializer):
    """One false positive (a prediction) or false negative (a ground truth)."""

    id = serializers.IntegerField()
    kind = serializers.SerializerMethodField()
    error_kind = serializers.CharField()
    item = serializers.IntegerField(source="item_id")
    item_name = serializers.CharField(source="item.name")
    label = serializers.CharField(source="label.name")
    box = serializers.SerializerMethodField()
    confidence = serializers.FloatField(
        required=False, allow_null=True, help_text="FP: the prediction's confidence."
    )
    iou_same = serializers.FloatField(required=False, help_text="FP: best IoU with its label.")
    iou_any = serializers.FloatField(required=False, help_text="FP: best IoU with any label.")
    best_iou_any = serializers.FloatField(
        required=False, help_text="FN: best IoU of a prediction of any label over it."
    )
    best_label_any = serializers.CharField(
        source="best_label_any.name",
        required=False,
        allow_null=True,
        default=None,
        help_text="FN: that prediction's label.",
    )
    mark = serializers.SerializerMethodField()

    def get_kind(self, row) -> str:
        return "fp" if hasattr(row, "confidence") else "fn"

    def get_box(self, row) -> list[float] | None:
        return None if row.x is None else [row.x, row.y, row.w, row.h]

    @extend_schema_field(ErrorMarkSerializer(allow_null=True))
    def get_mark(self, row) -> dict | None:
        """The review mark, from the page's marks the view read in one query (context)."""
        mark = self.context.get("marks", {}).get(target_key(row))
        return None if mark is None else {"verdict": mark.verdict, "note": mark.note}

    def to_representation(self, row) -> dict:
        data = super().to_representation(row)
        unused = (
            ("best_iou_any", "best_label_any")
            if data["kind"] == "fp"
            else ("confidence", "iou_same", "iou_any")
        )
        return {key: value for key, value in data.items() if key not in unused}
