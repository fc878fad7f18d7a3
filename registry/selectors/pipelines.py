"""Reads on pipelines and their runs."""

from django.db.models import Prefetch, QuerySet

from registry.access import visible_project_ids
from registry.models import Pipeline, PipelineRun, PipelineStep


def pipelines_of(user) -> QuerySet[Pipeline]:
    return Pipeline.objects.filter(project__in=visible_project_ids(user)).select_related(
        "champion", "dataset"
    )


def pipeline_runs_of(user) -> QuerySet[PipelineRun]:
    return PipelineRun.objects.filter(pipeline__project__in=visible_project_ids(user))


def pipeline_runs(*, pipeline: Pipeline) -> QuerySet[PipelineRun]:
    """A pipeline's runs, newest first, with their steps and models in a fixed few queries."""
    steps = PipelineStep.objects.select_related("job").order_by("position")
    return (
        pipeline.runs.select_related("champion", "challenger")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-created_at", "-id")
    )
