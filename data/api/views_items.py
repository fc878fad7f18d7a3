"""Items (the images of a dataset) and their annotations."""

from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import ReferenceNotFound
from core.api.pagination import IdPagePagination
from data.api.filters import AnnotationFilter, ItemFilter
from data.api.scopes import annotations_of, items_of
from data.api.serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
    AssignedSerializer,
    AssignSubsetSerializer,
    ItemSerializer,
    ItemUploadSerializer,
)
from data.models import Annotation, Item, LabelItemCount, SubsetItemCount
from data.services import datasets as data_services
from registry.access import visible_project_ids
from registry.api.base import ScopedViewSet, crud
from registry.models import Role, Subset


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": ItemUploadSerializer},
        responses={201: ItemSerializer(many=True)},
    )
)
class ItemViewSet(ScopedViewSet):
    """Items of the caller's datasets, with their ground-truth annotations."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    input_serializers = {"create": ItemUploadSerializer, "assign_subset": AssignSubsetSerializer}
    action_roles = {"assign_subset": Role.ANNOTATOR}
    filterset_class = ItemFilter
    pagination_class = IdPagePagination
    project_path = "dataset.project_id"
    # Filters whose total the kept counts answer; any other parameter means a COUNT.
    COUNTED_PARAMS = {"dataset", "subset", "label_id", "page", "page_size", "after"}

    def scoped_queryset(self, user) -> QuerySet:
        truth = Annotation.objects.filter(model__isnull=True).select_related("label")
        return (
            items_of(user)
            .select_related("dataset")
            .prefetch_related(Prefetch("annotations", queryset=truth, to_attr="truth"))
        )

    def known_count(self) -> int | None:
        """The list's total from SubsetItemCount / LabelItemCount, when the filters allow."""
        params = {key: value for key, value in self.request.query_params.items() if value != ""}
        if (
            not set(params) <= self.COUNTED_PARAMS
            or params.get("subset", "none") not in Subset.values
        ):
            return None
        if not all(params.get(key, "0").isdigit() for key in ("dataset", "label_id")):
            return None
        if "label_id" in params:
            rows, dataset = (
                LabelItemCount.objects.filter(label_id=params["label_id"]),
                "label__dataset",
            )
        else:
            rows, dataset = SubsetItemCount.objects.all(), "dataset"
        rows = rows.filter(**{f"{dataset}__project__in": visible_project_ids(self.request.user)})
        if "dataset" in params:
            rows = rows.filter(**{f"{dataset}_id": params["dataset"]})
        if "subset" in params:
            rows = rows.filter(subset=params["subset"])
        return rows.aggregate(total=Coalesce(Sum("items"), 0))["total"]

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["dataset"].project_id)
        items = data_services.items_upload_images(user=request.user, **data)
        rows = self.get_queryset().filter(pk__in=[item.pk for item in items])
        context = self.get_serializer_context()
        created = ItemSerializer(rows, many=True, context=context).data
        return Response(created, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        data_services.item_delete(item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "image/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The image.")}
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str) -> FileResponse:
        """The image itself, streamed after the membership check."""
        item = self.get_object()
        return FileResponse(
            item.file.open("rb"), content_type=item.content_type, filename=item.name
        )

    @extend_schema(request=AssignSubsetSerializer, responses=AssignedSerializer)
    @action(detail=False, methods=["post"])
    @transaction.atomic
    def assign_subset(self, request: Request) -> Response:
        """Put the listed items (of any of the caller's datasets) in one subset, all or nothing."""
        data = self.valid_input(request)
        ids = sorted(set(data["items"]))
        items = list(items_of(request.user).filter(pk__in=ids).select_related("dataset"))
        if len(items) != len(ids):
            raise ReferenceNotFound("items", "Some ids are not items of your projects.")
        by_dataset = {}
        for item in items:
            by_dataset.setdefault(item.dataset, []).append(item.pk)
        updated = 0
        for dataset, item_ids in by_dataset.items():
            self.require_role(dataset.project_id)
            updated += data_services.items_assign_subset(
                dataset=dataset, item_ids=item_ids, subset=data["subset"]
            )
        return Response({"updated": updated})


@crud(AnnotationSerializer, create=AnnotationCreateSerializer, update=AnnotationUpdateSerializer)
class AnnotationViewSet(ScopedViewSet):
    """Class labels and boxes on items. Members read; annotators and above write."""

    queryset = Annotation.objects.all()
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    project_path = "item.dataset.project_id"
    write_role = Role.ANNOTATOR

    def scoped_queryset(self, user) -> QuerySet:
        return annotations_of(user).select_related("label", "item__dataset")

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["item"].dataset.project_id)
        annotation = data_services.annotation_create(user=request.user, **data)
        return self.output(self.fresh(annotation), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        annotation = self.get_object()
        data = self.valid_input(request, partial=partial)
        data_services.annotation_update(annotation=annotation, **data)
        return self.output(self.fresh(annotation))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        data_services.annotation_delete(annotation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
