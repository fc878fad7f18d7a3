"""Datasets: the label map, and the bulk actions on their items (import, split, subsets)."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from data.api.filters import DatasetFilter
from data.api.scopes import datasets_of
from data.api.serializers import (
    COUNTS_SCHEMA,
    AssignedSerializer,
    AssignSubsetSerializer,
    DatasetCreateSerializer,
    DatasetSerializer,
    DatasetUpdateSerializer,
    ImportSerializer,
    SplitSerializer,
)
from data.models import Dataset, Label
from data.services import datasets as data_services
from data.views.downloads import coco_download
from registry.api.base import ScopedViewSet, crud
from registry.models import Role


@crud(DatasetSerializer, create=DatasetCreateSerializer, update=DatasetUpdateSerializer)
class DatasetViewSet(ScopedViewSet):
    """Datasets of the caller's projects. Members read; developers create, edit and delete."""

    queryset = Dataset.objects.all()
    serializer_class = DatasetSerializer
    input_serializers = {
        "import_items": ImportSerializer,
        "split": SplitSerializer,
        "assign_subset": AssignSubsetSerializer,
    }
    filterset_class = DatasetFilter
    # Sorting items into subsets changes no file or annotation; annotators do it, as on the pages.
    action_roles = {"assign_subset": Role.ANNOTATOR}

    def scoped_queryset(self, user) -> QuerySet:
        label_map = Label.objects.order_by("position", "id")
        return (
            datasets_of(user)
            .annotate(item_count=Count("items"))
            .prefetch_related(Prefetch("labels", queryset=label_map))
            .order_by("name", "id")  # GROUP BY drops Meta.ordering; pages need an order
        )

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["project"])
        dataset = data_services.dataset_create(user=request.user, **data)
        return self.output(self.fresh(dataset), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        dataset = self.get_object()
        data = self.valid_input(request, partial=partial)
        data_services.dataset_update(dataset=dataset, **data)
        return self.output(self.fresh(dataset))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        data_services.dataset_delete(dataset=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ImportSerializer, responses={201: COUNTS_SCHEMA})
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_items(self, request: Request, pk: str) -> Response:
        """A zip of label/*.png folders, or a COCO JSON with its images; all or nothing."""
        dataset = self.get_object()
        data = self.valid_input(request)
        if data.get("archive"):
            counts = data_services.items_import_zip(
                dataset=dataset, archive=data["archive"], user=request.user
            )
        else:
            counts = data_services.items_import_coco(
                dataset=dataset, coco_file=data["coco"], images=data["images"], user=request.user
            )
        return Response(counts, status=status.HTTP_201_CREATED)

    @extend_schema(request=SplitSerializer, responses={200: COUNTS_SCHEMA})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str) -> Response:
        """Train / validation / test by percentages; the same seed gives the same split."""
        dataset = self.get_object()
        counts = data_services.items_split(dataset=dataset, **self.valid_input(request))
        return Response(counts)

    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
        description="The ground truth as COCO JSON (streamed; boxes as [x, y, w, h]).",
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> StreamingHttpResponse:
        return coco_download(self.get_object())

    @extend_schema(request=AssignSubsetSerializer, responses=AssignedSerializer)
    @action(detail=True, methods=["post"])
    def assign_subset(self, request: Request, pk: str) -> Response:
        dataset = self.get_object()
        data = self.valid_input(request)
        ids = sorted(set(data["items"]))
        if dataset.items.filter(pk__in=ids).count() != len(ids):
            raise serializers.ValidationError({"items": "Some ids are not items of this dataset."})
        updated = data_services.items_assign_subset(
            dataset=dataset, item_ids=ids, subset=data["subset"]
        )
        return Response({"updated": updated})
