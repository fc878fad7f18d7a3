"""`/evaluations/{id}/marks`: reviewers' verdicts on the errors of an evaluation.

GET lists them (viewer and above), PUT sets one (annotator and above; create or
replace), DELETE removes one. A mark's target is `prediction` (a false positive)
or `ground_truth` (a false negative): in the body for PUT, in the query string
for DELETE, since some proxies and clients drop the body of a DELETE. Removing a
mark that is not there is a 204 too, so a retried DELETE does not fail.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.request import Request
from rest_framework.response import Response

from evaluation.api.serializers_marks import (
    MarkSerializer,
    MarkSetSerializer,
    MarksQuerySerializer,
    MarkTargetSerializer,
)
from evaluation.models import Evaluation
from evaluation.reviews import marks_of, review_mark_remove, review_mark_set, review_target_of
from evaluation.selectors import evaluations_for
from registry.api.base import ScopedViewSet
from registry.models import Role


class EvaluationMarksViewSet(ScopedViewSet):
    """The review marks of one evaluation: viewers read them; annotators and above set and
    remove them. An evaluation outside the caller's projects is a 404."""

    queryset = Evaluation.objects.all()
    serializer_class = MarkSerializer
    input_serializers = {"mark": MarkSetSerializer}
    write_role = Role.ANNOTATOR
    parser_classes = [parsers.JSONParser]

    def scoped_queryset(self, user) -> QuerySet:
        return evaluations_for(user=user)

    @extend_schema(
        parameters=[MarksQuerySerializer],
        responses=MarkSerializer(many=True),
        summary="The review marks of an evaluation, last marked first",
    )
    def marks(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        verdict = _valid(MarksQuerySerializer, request.query_params).get("verdict")
        page = self.paginate_queryset(marks_of(evaluation, verdict=verdict))
        return self.get_paginated_response(MarkSerializer(page, many=True).data)

    @extend_schema(
        request=MarkSetSerializer,
        responses=MarkSerializer,
        summary="Mark one error (create or replace its mark)",
    )
    def mark(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        data = _valid(MarkSetSerializer, request.data)
        mark = review_mark_set(
            evaluation=evaluation,
            target=review_target_of(evaluation, data["field"], data["id"]),
            verdict=data["verdict"],
            note=data["note"],
            user=request.user,
        )
        return Response(MarkSerializer(mark).data)

    @extend_schema(
        parameters=[MarkTargetSerializer],
        request=None,
        responses={204: OpenApiResponse(description="The error has no mark now.")},
        summary="Remove the mark of one error, named in the query string",
        description="`?prediction=<id>` or `?ground_truth=<id>`. A 204 also when the error "
        "had no mark, so a retried DELETE succeeds.",
    )
    def unmark(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        data = _valid(MarkTargetSerializer, request.query_params)
        target = review_target_of(evaluation, data["field"], data["id"])
        review_mark_remove(evaluation=evaluation, target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
