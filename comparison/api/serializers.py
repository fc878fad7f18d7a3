"""Request and response shapes of the metrics endpoints.

The point lists are checked by `metrics_log` and built by the selectors, not row by
row here: 10,000 points through nested DRF serializers would cost more than storing
them. The serializers below still describe every shape for the OpenAPI schema.
"""

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comparison.models import MetricSeries
from comparison.models.metrics import SERIES_SUMMARY_FIELDS
from comparison.services import MAX_POINTS_PER_CALL
from core.api.fields import BoundedListField

MAX_SERIES_MODELS = 200
MAX_SERIES_NAMES = 100
MAX_POINTS_LIMITS = (2, 100_000)


class MetricPointSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=250, help_text='Group with "/": "loss/train".')
    step = serializers.IntegerField(min_value=0)
    value = serializers.FloatField()
    timestamp = serializers.FloatField(
        required=False, help_text="Seconds since 1970; the time of the request if left out."
    )


@extend_schema_field(MetricPointSerializer(many=True))
class PointListField(BoundedListField):
    """A list of up to 10,000 points, handed to the service as it came."""


class MetricsLogSerializer(serializers.Serializer):
    metrics = PointListField(limit=MAX_POINTS_PER_CALL, noun="points")


class MetricsAcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="How many points were stored.")


class MetricSeriesSerializer(serializers.ModelSerializer):
    figure = serializers.CharField(read_only=True, help_text='The part of the name before "/".')
    legend = serializers.CharField(read_only=True, help_text='The part of the name after "/".')

    class Meta:
        model = MetricSeries
        fields = [
            "id",
            "model",
            "name",
            "figure",
            "legend",
            *SERIES_SUMMARY_FIELDS,
            "updated_at",
        ]


class CommaSeparatedField(serializers.ListField):
    """`a,b,c` in a query string as a list; blanks are skipped."""

    def to_internal_value(self, data) -> list:
        if isinstance(data, str):
            data = [part for part in data.split(",") if part.strip()]
        return super().to_internal_value(data)


class SeriesQuerySerializer(serializers.Serializer):
    models = CommaSeparatedField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=MAX_SERIES_MODELS,
        help_text="Model version ids, comma-separated, in the order the answer follows.",
    )
    names = CommaSeparatedField(
        child=serializers.CharField(max_length=250),
        required=False,
        max_length=MAX_SERIES_NAMES,
        help_text="Metric names, comma-separated; every series of the models if left out.",
    )
    max_points = serializers.IntegerField(
        min_value=MAX_POINTS_LIMITS[0],
        max_value=MAX_POINTS_LIMITS[1],
        default=1000,
        help_text="At most this many points per series (first, last, min and max kept).",
    )
    start = serializers.FloatField(required=False, help_text="The first step of a zoomed range.")
    end = serializers.FloatField(required=False, help_text="The last step of a zoomed range.")

    def validate(self, attrs: dict) -> dict:
        # A zoom box ends between steps: keep the whole steps inside it.
        if "start" in attrs:
            attrs["start"] = _finite(attrs["start"], "start", math.ceil)
        if "end" in attrs:
            attrs["end"] = _finite(attrs["end"], "end", math.floor)
        if attrs.get("start", -math.inf) > attrs.get("end", math.inf):
            raise serializers.ValidationError({"end": "The end comes before the start."})
        return attrs


def _finite(value: float, field: str, rounding) -> int:
    if not math.isfinite(value):
        raise serializers.ValidationError({field: "A finite number of steps."})
    return int(rounding(value))


class SeriesPointsSerializer(serializers.Serializer):
    model = serializers.IntegerField()
    name = serializers.CharField()
    total_points = serializers.IntegerField(
        help_text="Points stored in the requested range, before downsampling."
    )
    steps = serializers.ListField(child=serializers.IntegerField())
    values = serializers.ListField(child=serializers.FloatField())
    timestamps = serializers.ListField(
        child=serializers.FloatField(), help_text="Seconds since 1970."
    )


class SeriesAnswerSerializer(serializers.Serializer):
    series = SeriesPointsSerializer(many=True)
