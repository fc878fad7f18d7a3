"""Reads on pipelines and their runs."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from data.selectors import annotated_counts
from pipelines.models import Pipeline, PipelineRun, PipelineStep, PipelineTrigger
from registry.access import visible_project_ids
from registry.models import ModelVersion, Project
from serving.models import LIVE_STATES, Deployment


def annotated_train_items(pipeline: Pipeline) -> int:
    """Items of the champion's train subset with ground truth: one row the database keeps."""
    return annotated_counts(pipeline.dataset_id)[pipeline.champion.train_subset]


def new_items_waiting(pipeline: Pipeline) -> int | None:
    """Annotated train items since the last run, for a pipeline that counts them."""
    if pipeline.trigger != PipelineTrigger.NEW_ITEMS:
        return None
    return max(annotated_train_items(pipeline) - pipeline.items_seen, 0)


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
        pipeline.runs.select_related("champion", "challenger", "created_by")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-created_at", "-id")
    )


def pipelines_for_project(project: Project) -> QuerySet[Pipeline]:
    """The project's pipelines by name, each with the status and time of its latest run."""
    latest = PipelineRun.objects.filter(pipeline=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Pipeline.objects.filter(project=project)
        .select_related("dataset", "champion")
        .annotate(
            last_run_status=Subquery(latest.values("status")[:1]),
            last_run_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("name", "id")
    )


def pipelines_for_page(project: Project) -> QuerySet[Pipeline]:
    """The project's pipelines with what a pipeline's page shows: dataset, champion, package."""
    return Pipeline.objects.filter(project=project).select_related("dataset", "champion__package")


def runs_of_project(project: Project) -> QuerySet[PipelineRun]:
    return PipelineRun.objects.filter(pipeline__project=project)


def champion_deployment(pipeline: Pipeline) -> Deployment | None:
    """The champion's live deployment, if it serves predictions."""
    live = Deployment.objects.filter(model_id=pipeline.champion_id, state__in=LIVE_STATES)
    return live.order_by("-id").first()


def champion_choices(project: Project) -> QuerySet[ModelVersion]:
    """Model versions a pipeline may start from: the project's own, never public ones."""
    return ModelVersion.objects.filter(project=project).select_related("package").order_by("name")
