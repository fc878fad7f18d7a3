"""Request and response shapes of the review marks: /evaluations/{id}/marks and errors' `mark`."""

from rest_framework import serializers

from evaluation.models import ReviewMark, ReviewVerdict
from evaluation.reviews import NOTE_LIMIT, TARGETS, UNMARKED

TARGET_HELP = "Give exactly one of prediction (a false positive) or ground_truth (a miss)."


class MarkTargetSerializer(serializers.Serializer):
    """Which error: a prediction (a false positive) or a ground truth (a false negative)."""

    prediction = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="An EvalPrediction id."
    )
    ground_truth = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="An EvalGroundTruth id."
    )

    def validate(self, data: dict) -> dict:
        given = [field for field in TARGETS if data.get(field) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(dict.fromkeys(TARGETS, TARGET_HELP))
        return {"field": given[0], "id": data[given[0]]}


class MarkSetSerializer(MarkTargetSerializer):
    verdict = serializers.ChoiceField(choices=ReviewVerdict.choices)
    note = serializers.CharField(
        max_length=NOTE_LIMIT, required=False, allow_blank=True, default="", trim_whitespace=True
    )

    def validate(self, data: dict) -> dict:
        return {**super().validate(data), "verdict": data["verdict"], "note": data["note"]}


class MarksQuerySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=ReviewVerdict.choices, required=False, help_text="Only the marks of this verdict."
    )


class MarkSerializer(serializers.ModelSerializer):
    """One mark with the error it is on: `prediction` or `ground_truth` is set, not both."""

    kind = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    item_name = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    verdict = serializers.CharField(read_only=True, help_text="gt_wrong, confirmed or ignore.")
    marked_by = serializers.CharField(
        source="marked_by.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Their username; null once their account is deleted.",
    )

    class Meta:
        model = ReviewMark
        fields = [
            "id",
            "kind",
            "prediction",
            "ground_truth",
            "item",
            "item_name",
            "label",
            "verdict",
            "note",
            "marked_by",
            "marked_at",
        ]
        read_only_fields = fields

    def get_kind(self, mark: ReviewMark) -> str:
        """fp on a prediction, fn on a ground truth."""
        return "fp" if mark.prediction_id else "fn"

    def get_item(self, mark: ReviewMark) -> int:
        return _target(mark).item_id

    def get_item_name(self, mark: ReviewMark) -> str:
        return _target(mark).item.name

    def get_label(self, mark: ReviewMark) -> str:
        """The label name of the prediction or ground truth."""
        return _target(mark).label.name


def _target(mark: ReviewMark):
    return mark.prediction if mark.prediction_id else mark.ground_truth


class ErrorMarkSerializer(serializers.Serializer):
    """The mark on one error of the errors list."""

    verdict = serializers.CharField(help_text="gt_wrong, confirmed or ignore.")
    note = serializers.CharField()


MARK_FILTER_CHOICES = [UNMARKED, *ReviewVerdict.values]
