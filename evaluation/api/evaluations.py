"""Evaluations: create, upload predictions, finish, read metrics, counts and FP / FN lists.

Permissions follow the evaluation's project: viewers read, developers write, and an
evaluation of a project the caller is not in does not exist for them (404).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from evaluation import services
from evaluation.api import serializers as shapes
from evaluation.models import Evaluation
from evaluation.reviews import filter_by_mark, marks_for
from evaluation.selectors import counts_at, errors_at, evaluations_for, snap_iou
from jobs.api.serializers import JobSerializer
from registry.api.base import ScopedViewSet

LIST_FILTERS = [
    OpenApiParameter(name, OpenApiTypes.INT, description=f"Only the evaluations of this {name}.")
    for name in ("model", "project", "dataset")
]


@extend_schema_view(
    list=extend_schema(parameters=LIST_FILTERS, responses=shapes.EvaluationSerializer(many=True)),
    retrieve=extend_schema(responses=shapes.EvaluationDetailSerializer),
)
class EvaluationViewSet(ScopedViewSet):
    queryset = Evaluation.objects.all()
    serializer_class = shapes.EvaluationSerializer
    detail_serializer_class = shapes.EvaluationDetailSerializer
    input_serializers = {
        "create": shapes.EvaluationCreateSerializer,
        "predictions": shapes.PredictionsUploadSerializer,
    }
    parser_classes = [parsers.JSONParser]

    def scoped_queryset(self, user) -> QuerySet:
        filters = {name: _int_param(self.request, name) for name in ("model", "project", "dataset")}
        return evaluations_for(
            user=user,
            model_id=filters["model"],
            project_id=filters["project"],
            dataset_id=filters["dataset"],
        )

    @extend_schema(
        request=shapes.EvaluationCreateSerializer,
        responses={201: shapes.EvaluationDetailSerializer},
        summary="Create an evaluation that accepts uploaded predictions",
    )
    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        # The evaluation's project: the model's, or for a public model the dataset's.
        self.require_role(data["model"].project_id or data["dataset"].project_id)
        evaluation = services.evaluation_create(user=request.user, mode="offline", **data)
        return self.output(self.fresh(evaluation), status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        services.evaluation_delete(evaluation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=shapes.PredictionsUploadSerializer,
        responses={201: shapes.AcceptedSerializer},
        summary="Upload up to 10,000 predictions, all or nothing",
    )
    def predictions(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        rows = self.valid_input(request)["predictions"]
        accepted = services.predictions_add(evaluation=evaluation, rows=rows)
        return Response({"accepted": accepted}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: JobSerializer}, summary="Queue the metrics")
    def finish(self, request: Request, pk: str) -> Response:
        job = services.evaluation_finish(evaluation=self.get_object(), user=request.user)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[shapes.CountsQuerySerializer],
        responses=shapes.CountsAnswerSerializer,
        summary="TP / FP / FN, precision, recall, F1 at an (IoU, confidence) pair",
    )
    def counts(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        query = _query(shapes.CountsQuerySerializer, request)
        label = _label(evaluation, query.get("label"))
        found = counts_at(
            evaluation,
            iou=query["iou"],
            min_confidence=query["min_confidence"],
            label_id=label and label[0],
        )
        names = dict(evaluation.dataset.labels.values_list("id", "name"))
        found["per_label"] = {names.get(k, str(k)): v for k, v in found["per_label"].items()}
        found.update(iou=snap_iou(query["iou"])[0], min_confidence=query["min_confidence"])
        return Response(found)

    @extend_schema(
        parameters=[shapes.ErrorsQuerySerializer],
        responses=shapes.ErrorSerializer(many=True),
        summary="The false positives or false negatives at an (IoU, confidence) pair",
    )
    def errors(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        query = _query(shapes.ErrorsQuerySerializer, request)
        label = _label(evaluation, query.pop("label", None))
        mark = query.pop("mark", None)
        rows = errors_at(evaluation, label_id=label and label[0], **query)
        if query["kind"] == "fn":
            rows = rows.select_related("best_label_any")
        page = self.paginate_queryset(filter_by_mark(rows, mark))
        context = {"marks": marks_for(evaluation, page)}
        rows = shapes.ErrorSerializer(page, many=True, context=context).data
        return self.get_paginated_response(rows)


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationError({name: "Give an id."})
    return int(value)


def _query(serializer_class, request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _label(evaluation: Evaluation, name: str | None) -> tuple[int] | None:
    if not name:
        return None
    found = evaluation.dataset.labels.filter(name=name).values_list("id").first()
    if found is None:
        raise ValidationError({"label": f"No label {name!r} in the dataset's label map."})
    return found
