"""GET /evaluations/{id}/diff?against=<id>: the regression diff from a baseline evaluation.

Viewers read it; an evaluation of a project the caller is not in is a 404; a baseline
that is not another finished evaluation of the same project, dataset and kind is a 400
naming `against` (one of another project reads like an unknown id).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from data.models import Item
from evaluation.api.evaluations import _label, _query
from evaluation.api.serializers import CountsQuerySerializer
from evaluation.models import Evaluation
from evaluation.regression_baselines import baseline_for
from evaluation.regressions import CHANGES, regression_diff
from evaluation.selectors import evaluations_for
from registry.api.base import ScopedViewSet


class DiffQuerySerializer(CountsQuerySerializer):
    against = serializers.IntegerField(
        min_value=1, help_text="The baseline: another finished evaluation of the same dataset."
    )
    change = serializers.ChoiceField(
        choices=CHANGES, required=False, help_text="Only the items with this change."
    )


class DiffCountsSerializer(serializers.Serializer):
    regressed = serializers.IntegerField(
        help_text="Ground truths found by the baseline, missed now."
    )
    fixed = serializers.IntegerField(help_text="Ground truths missed by the baseline, found now.")
    new_fp = serializers.IntegerField(help_text="False positives more than the baseline's.")
    fp_gone = serializers.IntegerField(help_text="False positives fewer than the baseline's.")


class DiffItemSerializer(DiffCountsSerializer):
    """For the schema: the rows are built by _item_rows."""

    item = serializers.IntegerField(source="item_id")
    item_name = serializers.CharField()


class DiffAnswerSerializer(serializers.Serializer):
    against = serializers.IntegerField()
    iou = serializers.FloatField(help_text="The stored threshold used (the nearest asked).")
    min_confidence = serializers.FloatField()
    totals = DiffCountsSerializer()
    per_label = serializers.DictField(child=DiffCountsSerializer(), help_text="By label name.")
    count = serializers.IntegerField(help_text="How many items changed (with the filters).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DiffItemSerializer(many=True, help_text="The changed items, worst first.")


PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="A page of the changed items."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Items per page, up to 500."),
]


class EvaluationDiffViewSet(ScopedViewSet):
    """`/evaluations/{id}/diff`: the regression diff from another evaluation (viewer+)."""

    queryset = Evaluation.objects.all()

    def scoped_queryset(self, user) -> QuerySet:
        return evaluations_for(user=user)

    @extend_schema(
        parameters=[DiffQuerySerializer, *PAGE_PARAMETERS],
        responses=DiffAnswerSerializer,
        summary="What changed since another evaluation of the dataset, per label and item",
    )
    def diff(self, request: Request, pk: str) -> Response:
        evaluation = self.get_object()
        query = _query(DiffQuerySerializer, request)
        baseline = baseline_for(evaluation, query["against"])
        label = _label(evaluation, query.get("label"))
        diff = regression_diff(
            evaluation,
            baseline,
            iou=query["iou"],
            min_confidence=query["min_confidence"],
            label_id=label and label[0],
            change=query.get("change"),
            page=_page_slice(self.paginator, request),
        )
        page = self.paginate_queryset(diff.items)
        head = {
            "against": baseline.pk,
            "iou": diff.iou,
            "min_confidence": diff.min_confidence,
            "totals": diff.totals,
            "per_label": _by_name(evaluation, diff.per_label),
        }
        body = self.get_paginated_response(_item_rows(page)).data
        return Response({**head, **body})


def _page_slice(paginator, request: Request) -> slice | None:
    """The rows the paginator will ask for, so the summary query brings them."""
    size = paginator.get_page_size(request)
    number = request.query_params.get(paginator.page_query_param, "1")
    if not number.isdigit() or int(number) < 1:
        return None  # "last" or a bad page: the paginator reads or refuses it
    return slice((int(number) - 1) * size, int(number) * size)


def _by_name(evaluation: Evaluation, per_label: dict[int, dict]) -> dict[str, dict]:
    names = dict(evaluation.dataset.labels.values_list("id", "name"))
    return {names.get(label_id, str(label_id)): counts for label_id, counts in per_label.items()}


def _item_rows(page: list) -> list[dict]:
    """The page's rows with the item names, read in one query."""
    names = dict(
        Item.objects.filter(id__in=[row.item_id for row in page]).values_list("id", "name")
    )
    return [
        {"item": row.item_id, "item_name": names.get(row.item_id, ""), **row.counts} for row in page
    ]
