"""How a run starts and ends: one at a time per pipeline; a trigger during a run waits for it."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import tasks
from core.tasks import task_send
from data.models import Item
from pipelines.models import (
    ACTIVE_RUN_STATUSES,
    Pipeline,
    PipelineRun,
    PipelineStep,
    PipelineTrigger,
    StepName,
)
from pipelines.selectors import annotated_train_items
from registry.access import signed_in_or_none


def pipeline_trigger(*, pipeline: Pipeline, trigger: str, user=None) -> PipelineRun | None:
    """Start a run; while one is active, remember the trigger (None) for when it ends.

    A paused pipeline ignores the automatic triggers; "run now" still runs it.
    """
    with transaction.atomic():
        pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
        if pipeline.paused and trigger != PipelineTrigger.MANUAL:
            return None
        if pipeline.runs.filter(status__in=ACTIVE_RUN_STATUSES).exists():
            Pipeline.objects.filter(pk=pipeline.pk).update(pending_trigger=trigger)
            return None
        try:
            with transaction.atomic():
                return _run_start(pipeline, trigger, user)
        except IntegrityError:  # the partial unique index: another run got in first
            Pipeline.objects.filter(pk=pipeline.pk).update(pending_trigger=trigger)
            return None


def _run_start(pipeline: Pipeline, trigger: str, user) -> PipelineRun:
    run = PipelineRun.objects.create(
        pipeline=pipeline,
        trigger=trigger,
        champion=pipeline.champion,
        created_by=signed_in_or_none(user),
        **data_record(pipeline),
    )
    PipelineStep.objects.bulk_create(
        [PipelineStep(run=run, name=name, position=i) for i, name in enumerate(StepName.values)]
    )
    Pipeline.objects.filter(pk=pipeline.pk).update(
        pending_trigger="", items_seen=annotated_train_items(pipeline)
    )
    run_advance_later(run.id)
    return run


def run_advance_later(run_id: int) -> None:
    transaction.on_commit(lambda: task_send(tasks.PIPELINE_ADVANCE, args=[run_id]))


def data_record(pipeline: Pipeline) -> dict:
    """How many items a run trains and tests on, and the sha256 of their sorted ids."""
    champion, digest, counts = pipeline.champion, hashlib.sha256(), {}
    for role, subset in (("train", champion.train_subset), ("test", champion.test_subset)):
        ids = Item.objects.filter(dataset_id=pipeline.dataset_id, subset=subset)
        ids = list(ids.order_by("id").values_list("id", flat=True))
        digest.update(f"{role}:{','.join(map(str, ids))}\n".encode())
        counts[f"{role}_items"] = len(ids)
    return {**counts, "data_checksum": digest.hexdigest()}


def run_end(run: PipelineRun, status: str, error: str = "") -> None:
    """The run ends; a trigger that came meanwhile starts the next run."""
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    pipeline = Pipeline.objects.get(pk=run.pipeline_id)
    if pipeline.pending_trigger:
        pipeline_trigger(pipeline=pipeline, trigger=pipeline.pending_trigger)
