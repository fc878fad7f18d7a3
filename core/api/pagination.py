from collections import OrderedDict

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.pagination import IdPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class IdPagePagination(PageNumberPagination):
    """`?page=` sliced on ids (see IdPaginator), and `?after=<id>` for walking far.

    The view may offer `known_count()`: the total without a COUNT, or None. With
    `after` the rows are those with a larger id, and `next` carries on from the
    last one, so the millionth row costs what the first does.
    """

    after_query_param = "after"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list | None:
        self.count_hint = view.known_count() if hasattr(view, "known_count") else None
        self.after = self._after(request)
        if self.after is None:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.queryset = queryset
        self.rows = list(queryset.filter(id__gt=self.after).order_by("id")[: self.size()])
        return self.rows

    def django_paginator_class(self, queryset: QuerySet, page_size: int) -> Paginator:
        ids = queryset.values_list("id", flat=True).order_by("id")
        return IdPaginator(ids, queryset, page_size, self.count_hint)

    def size(self) -> int:
        return self.get_page_size(self.request) or self.page_size

    def get_paginated_response(self, data) -> Response:
        if self.after is None:
            return super().get_paginated_response(data)
        count = self.count_hint if self.count_hint is not None else self.queryset.count()
        return Response(
            OrderedDict(
                [("count", count), ("next", self.get_next_link()), ("previous", None)]
                + [("results", data)]
            )
        )

    def get_next_link(self) -> str | None:
        if self.after is None:
            return super().get_next_link()
        if len(self.rows) < self.size():
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.after_query_param, self.rows[-1].id)

    def get_previous_link(self) -> str | None:
        return None if self.after is not None else super().get_previous_link()

    def get_schema_operation_parameters(self, view) -> list[dict]:
        after = {
            "name": self.after_query_param,
            "required": False,
            "in": "query",
            "description": "Rows after this id, in id order; `next` carries on. Instead of page.",
            "schema": {"type": "integer"},
        }
        return [*super().get_schema_operation_parameters(view), after]

    def _after(self, request: Request) -> int | None:
        value = request.query_params.get(self.after_query_param)
        if value is None or value == "":
            return None
        if not value.isdigit():
            raise ValidationError({self.after_query_param: "An item id."})
        return int(value)
