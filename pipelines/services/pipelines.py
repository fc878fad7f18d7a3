"""Writes on pipelines: create, edit, pause, trigger, cancel and approve runs.

How a run starts and ends is in runs.py; its steps and their orchestration in steps.py.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.names import name_checked
from jobs.services import JobConflict
from pipelines.models import (
    ACTIVE_RUN_STATUSES,
    Pipeline,
    PipelineRun,
    PipelineTrigger,
    RunStatus,
    StepStatus,
)
from pipelines.selectors import annotated_train_items
from pipelines.services import steps
from pipelines.services.runs import pipeline_trigger, run_end
from pipelines.services.schedules import cron_fields, schedule_forget, schedule_sync
from registry.access import signed_in_or_none
from registry.models import Project

logger = logging.getLogger(__name__)

# What a pipeline runs on and how it decides: the API shows and takes the same fields.
RULE_FIELDS = (
    "overrides",
    "trigger",
    "new_items_threshold",
    "schedule",
    "metric",
    "higher_is_better",
    "min_improvement",
    "max_label_regression",
    "auto_promote",
)
EDITABLE_FIELDS = ("name", "dataset", "champion", *RULE_FIELDS)


@transaction.atomic
def pipeline_create(*, project: Project, user, **fields) -> Pipeline:
    pipeline = Pipeline(project=project, created_by=signed_in_or_none(user))
    return _save(pipeline, fields)


@transaction.atomic
def pipeline_update(*, pipeline: Pipeline, **fields) -> Pipeline:
    return _save(pipeline, fields)


def _save(pipeline: Pipeline, fields: dict) -> Pipeline:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be set." for field in sorted(unknown)})
    counted_on = None if pipeline.pk is None else _counting_basis(pipeline)
    for field, value in fields.items():
        setattr(pipeline, field, value)
    _check(pipeline)
    if _counting_basis(pipeline) != counted_on:
        # Items annotated before the pipeline counted them are not new to it.
        pipeline.items_seen = annotated_train_items(pipeline)
    pipeline.save()
    schedule_sync(pipeline)
    return pipeline


def _counting_basis(pipeline: Pipeline) -> tuple:
    return (pipeline.trigger, pipeline.dataset_id, pipeline.champion_id)


def _check(pipeline: Pipeline) -> None:
    siblings = Pipeline.objects.filter(project_id=pipeline.project_id)
    exclude = pipeline if pipeline.pk else None
    pipeline.name = name_checked(pipeline.name, noun="pipeline", siblings=siblings, exclude=exclude)
    _check_data(pipeline)
    _check_trigger(pipeline)
    if not (pipeline.metric or "").strip():
        raise ValidationError({"metric": "Name the metric to compare, e.g. accuracy or mAP."})
    if not isinstance(pipeline.overrides, dict):
        raise ValidationError({"overrides": "Overrides are a JSON object."})
    if pipeline.max_label_regression is not None and pipeline.max_label_regression < 0:
        raise ValidationError({"max_label_regression": "A regression bound is at least 0."})


def _check_data(pipeline: Pipeline) -> None:
    dataset, champion = pipeline.dataset, pipeline.champion
    if dataset is None or dataset.project_id != pipeline.project_id:
        raise ValidationError({"dataset": "Choose a dataset of the pipeline's project."})
    if champion is None or champion.project_id != pipeline.project_id:
        raise ValidationError({"champion": "Choose a model version of the pipeline's project."})
    if champion.package.output_type != dataset.annotation_kind:
        raise ValidationError(
            {"champion": f"{champion.package.name} does not predict what {dataset.name} holds."}
        )
    if not champion.artifacts.exists():
        raise ValidationError(
            {"champion": f"{champion.name} has no weights yet: train it before it can be one."}
        )


def _check_trigger(pipeline: Pipeline) -> None:
    if pipeline.trigger not in PipelineTrigger.values:
        raise ValidationError({"trigger": f"Unknown trigger {pipeline.trigger!r}."})
    if pipeline.trigger == PipelineTrigger.NEW_ITEMS and (pipeline.new_items_threshold or 0) < 1:
        raise ValidationError({"new_items_threshold": "Say after how many new items (1 or more)."})
    if pipeline.trigger == PipelineTrigger.SCHEDULE:
        pipeline.schedule = " ".join(cron_fields(pipeline.schedule).values())


def pipeline_pause(*, pipeline: Pipeline) -> Pipeline:
    return _set_paused(pipeline, True)


def pipeline_resume(*, pipeline: Pipeline) -> Pipeline:
    return _set_paused(pipeline, False)


@transaction.atomic
def _set_paused(pipeline: Pipeline, paused: bool) -> Pipeline:
    Pipeline.objects.filter(pk=pipeline.pk).update(paused=paused)
    pipeline.refresh_from_db()
    schedule_sync(pipeline)  # a paused schedule stays in beat, disabled
    return pipeline


@transaction.atomic
def pipeline_delete(*, pipeline: Pipeline, user) -> None:
    """Delete a pipeline with its runs; its model versions and evaluations stay."""
    if pipeline.runs.filter(status__in=ACTIVE_RUN_STATUSES).exists():
        raise JobConflict("A run of this pipeline is active: cancel it first.")
    pipeline.delete()  # its cron entry goes with it (pipelines/receivers.py)


# --- Runs ----------------------------------------------------------------------------


def run_cancel(*, run: PipelineRun, user) -> PipelineRun:
    """Cancel an active run: its job is cancelled and nothing is promoted."""
    with transaction.atomic():
        run = PipelineRun.objects.select_for_update().get(pk=run.pk)
        if not run.is_active:
            raise JobConflict(f"The run has already ended ({run.status}).")
        for step in run.steps.filter(job__isnull=False).select_related("job"):
            if step.job.is_active:
                steps.job_cancel(job=step.job, user=user)
        run.steps.filter(status__in=[StepStatus.PENDING, StepStatus.RUNNING]).update(
            status=StepStatus.CANCELLED, finished_at=timezone.now()
        )
        run_end(run, RunStatus.CANCELLED, error="Cancelled.")
    return run


def run_approve(*, run: PipelineRun, user) -> PipelineRun:
    """Promote the challenger of a run that waits for a human."""
    with transaction.atomic():
        run = PipelineRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.AWAITING_APPROVAL:
            raise JobConflict(f"The run is {run.status}, not awaiting approval.")
        steps.promote(run, user)
    return run


def pipeline_scheduled(*, pipeline_id: int) -> PipelineRun | None:
    """Beat's cron entry fired; an entry left by a deleted pipeline removes itself."""
    pipeline = Pipeline.objects.filter(pk=pipeline_id).first()
    if pipeline is None or pipeline.trigger != PipelineTrigger.SCHEDULE:
        schedule_forget(pipeline_id)
        return None
    return pipeline_trigger(pipeline=pipeline, trigger=PipelineTrigger.SCHEDULE)


def pipelines_check_triggers() -> list[int]:
    """Start the runs of new-items pipelines that have seen enough new items; their ids."""
    started = []
    due = Pipeline.objects.filter(trigger=PipelineTrigger.NEW_ITEMS, paused=False)
    for pipeline in due.select_related("champion"):
        if annotated_train_items(pipeline) - pipeline.items_seen >= pipeline.new_items_threshold:
            run = pipeline_trigger(pipeline=pipeline, trigger=PipelineTrigger.NEW_ITEMS)
            started += [run.id] if run else []
    return started


def pipeline_runs_move_on() -> list[int]:
    """Advance every queued or running run, as the end of its job would have; their ids.

    A job's end queues the message that moves its run once it commits. Should that
    message be lost (the broker was away, a worker died holding it), beat's reaper
    pass moves the run instead: none waits for ever.
    Advancing is idempotent: a run whose job is still active stays as it is.
    """
    moving = PipelineRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    run_ids = list(moving.order_by("id").values_list("id", flat=True))
    for run_id in run_ids:
        try:
            steps.pipeline_advance(run_id=run_id)
        except Exception:  # one run's trouble must not hold up the others
            logger.exception("Could not move pipeline run %s on", run_id)
    return run_ids
