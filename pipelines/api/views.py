"""Pipelines: create, list, edit, run now, pause, resume; their runs; cancel and approve."""

import django_filters as filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pipelines.api.serializers import (
    PipelineCreateSerializer,
    PipelineRunSerializer,
    PipelineSerializer,
    PipelineUpdateSerializer,
    RunAnswerSerializer,
)
from pipelines.models import Pipeline, PipelineRun, PipelineTrigger
from pipelines.selectors import pipeline_runs, pipeline_runs_of, pipelines_of
from pipelines.services import pipelines as pipeline_services
from registry.api.base import ScopedViewSet


class PipelineFilter(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id")
    name = filters.CharFilter(field_name="name")

    class Meta:
        model = Pipeline
        fields = ["project", "name"]


@extend_schema_view(
    create=extend_schema(request=PipelineCreateSerializer, responses={201: PipelineSerializer}),
    partial_update=extend_schema(request=PipelineUpdateSerializer, responses=PipelineSerializer),
)
class PipelineViewSet(ScopedViewSet):
    queryset = Pipeline.objects.all()
    serializer_class = PipelineSerializer
    input_serializers = {
        "create": PipelineCreateSerializer,
        "partial_update": PipelineUpdateSerializer,
    }
    filterset_class = PipelineFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self, user) -> QuerySet:
        return pipelines_of(user)

    def create(self, request: Request) -> Response:
        data = self.valid_input(request)
        self.require_role(data["project"])
        pipeline = pipeline_services.pipeline_create(user=request.user, **data)
        return self.output(pipeline, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        pipeline = self.get_object()
        data = self.valid_input(request, partial=True)
        return self.output(pipeline_services.pipeline_update(pipeline=pipeline, **data))

    def destroy(self, request: Request, pk: str) -> Response:
        """Delete the pipeline and its runs (its versions and evaluations stay). 409 while
        a run is active."""
        pipeline_services.pipeline_delete(pipeline=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: RunAnswerSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk: str) -> Response:
        """Run now; while a run is active the trigger waits and runs after it."""
        run = pipeline_services.pipeline_trigger(
            pipeline=self.get_object(), trigger=PipelineTrigger.MANUAL, user=request.user
        )
        answer = {"run": PipelineRunSerializer(run).data if run else None, "pending": not run}
        return Response(answer, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=PipelineSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        return self.output(pipeline_services.pipeline_pause(pipeline=self.get_object()))

    @extend_schema(request=None, responses=PipelineSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self.output(pipeline_services.pipeline_resume(pipeline=self.get_object()))

    @extend_schema(request=None, responses=PipelineRunSerializer(many=True))
    @action(detail=True, methods=["get"])
    def runs(self, request: Request, pk: str) -> Response:
        page = self.paginate_queryset(pipeline_runs(pipeline=self.get_object()))
        return self.get_paginated_response(PipelineRunSerializer(page, many=True).data)


class PipelineRunViewSet(ScopedViewSet):
    queryset = PipelineRun.objects.all()
    serializer_class = PipelineRunSerializer
    project_path = "pipeline.project_id"

    def scoped_queryset(self, user) -> QuerySet:
        return pipeline_runs_of(user).select_related("pipeline").prefetch_related("steps")

    @extend_schema(request=None, responses=PipelineRunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel the run and its job; nothing is promoted. 409 when it has ended."""
        run = pipeline_services.run_cancel(run=self.get_object(), user=request.user)
        return self.output(self.fresh(run))

    @extend_schema(request=None, responses=PipelineRunSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Promote the challenger of a run awaiting approval. 409 otherwise."""
        run = pipeline_services.run_approve(run=self.get_object(), user=request.user)
        return self.output(self.fresh(run))
