"""Metrics: log points on a model version, list its series, read series for a chart."""

import codecs
import io

import orjson
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, permissions, renderers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import encoders
from rest_framework.views import APIView

from comparison.api.serializers import (
    MetricsAcceptedSerializer,
    MetricSeriesSerializer,
    MetricsLogSerializer,
    SeriesAnswerSerializer,
    SeriesQuerySerializer,
)
from comparison.selectors import comparison_series, series_for_model
from comparison.services import metrics_log
from core.api.errors import ReferenceNotFound
from registry.api.base import ScopedViewSet
from registry.api.scopes import models_of
from registry.models import ModelVersion

NAME_FILTER = OpenApiParameter(
    "name", OpenApiTypes.STR, description="Only the series of exactly this name."
)


class OrjsonParser(parsers.JSONParser):
    """JSON read by orjson, which parses a 10,000-point body about ten times faster.

    orjson reads UTF-8 only and refuses a few documents the standard parser takes (a
    number beyond a double such as 1e999, a lone surrogate); those bodies go through
    DRF's parser, so what is accepted and the errors given stay the same.
    """

    def parse(
        self, stream, media_type: str | None = None, parser_context: dict | None = None
    ) -> object:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read()
        if codecs.lookup(encoding).name == "utf-8":
            try:
                return orjson.loads(body)
            except orjson.JSONDecodeError:
                pass
        return super().parse(io.BytesIO(body), media_type, parser_context)


class OrjsonRenderer(renderers.JSONRenderer):
    """JSON written by orjson: a comparison answer holds hundreds of thousands of numbers,
    which took the standard encoder longer than reading and downsampling them."""

    _fallback = encoders.JSONEncoder()

    def render(
        self, data, accepted_media_type: str | None = None, renderer_context: dict | None = None
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=self._fallback.default, option=orjson.OPT_NON_STR_KEYS)


class ModelMetricsViewSet(ScopedViewSet):
    """`/models/{id}/metrics`: the model's series (viewer+) and logging points (developer+)."""

    queryset = ModelVersion.objects.all()
    serializer_class = MetricSeriesSerializer
    input_serializers = {"create": MetricsLogSerializer}
    parser_classes = [OrjsonParser]

    def scoped_queryset(self, user) -> QuerySet:
        return models_of(user)

    @extend_schema(
        parameters=[NAME_FILTER],
        responses=MetricSeriesSerializer(many=True),
        summary="The model's metric series with their summaries",
    )
    def list(self, request: Request, pk: str) -> Response:
        rows = series_for_model(model=self.get_object())
        if request.query_params.get("name"):
            rows = rows.filter(name=request.query_params["name"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MetricSeriesSerializer(page, many=True).data)

    @extend_schema(
        request=MetricsLogSerializer,
        responses={201: MetricsAcceptedSerializer},
        summary="Log up to 10,000 points, all or nothing",
    )
    def create(self, request: Request, pk: str) -> Response:
        model = self.get_object()
        data = self.valid_input(request)
        accepted = metrics_log(model=model, points=data["metrics"])
        return Response({"accepted": accepted}, status=status.HTTP_201_CREATED)


class SeriesView(APIView):
    """`/metrics/series`: what a comparison chart draws, downsampled on the server."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [OrjsonRenderer]

    @extend_schema(
        parameters=[SeriesQuerySerializer],
        responses=SeriesAnswerSerializer,
        summary="Downsampled series of several model versions",
    )
    def get(self, request: Request) -> Response:
        query = SeriesQuerySerializer(data=_joined(request.query_params))
        query.is_valid(raise_exception=True)
        options = query.validated_data
        models = _readable_models(request.user, options.pop("models"))
        return Response({"series": comparison_series(models=models, **options)})


def _joined(params) -> dict:
    """`models=1,2&models=3` and `models=1,2,3` mean the same."""
    data = {key: params.get(key) for key in params}
    for key in ("models", "names"):
        if key in params:
            data[key] = ",".join(params.getlist(key))
    return data


def _readable_models(user, ids: list[int]) -> list[ModelVersion]:
    """The models in the order asked; 404 naming the ids the caller cannot read."""
    ids = list(dict.fromkeys(ids))
    found = {model.id: model for model in models_of(user).filter(id__in=ids).only("id")}
    missing = [str(model_id) for model_id in ids if model_id not in found]
    if missing:
        raise ReferenceNotFound("models", f"No model version {', '.join(missing)}.")
    return [found[model_id] for model_id in ids]
