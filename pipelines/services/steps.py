"""The steps of a pipeline run and what moves a run from one to the next.

`pipeline_advance` runs the next pending steps of a run: clone, compare and promote end
at once; train and the two evaluations queue a job and wait. When a step's job ends,
pipelines/receivers.py queues the pipeline_advance task, which picks the run up again.
Every advance holds the run's row lock, so two deliveries of the task cannot run a step
twice.
"""

from django.db import transaction
from django.utils import timezone

from data.models import AnnotationKind
from jobs.models import JobStatus
from jobs.services import job_cancel, model_train
from pipelines.models import Pipeline, PipelineRun, PipelineStep, RunStatus, StepName, StepStatus
from pipelines.services.runs import run_advance_later, run_end
from registry.services.models import model_clone
from serving.services import model_deploy, model_undeploy

__all__ = ["job_cancel", "pipeline_advance", "promote", "run_advance_later", "run_end"]
DONE = (StepStatus.SUCCEEDED, StepStatus.SKIPPED)


class StepFailed(Exception):
    """A step cannot go on; the message says why and becomes the run's error."""


def pipeline_advance(*, run_id: int) -> PipelineRun | None:
    with transaction.atomic():
        run = PipelineRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return run
        if run.status == RunStatus.QUEUED:
            run.status, run.started_at = RunStatus.RUNNING, timezone.now()
            run.save(update_fields=["status", "started_at"])
        while run.status == RunStatus.RUNNING:
            step = run.steps.exclude(status__in=DONE).order_by("position").first()
            if step is None or not _moved(run, step):
                break
    return run


def _moved(run: PipelineRun, step: PipelineStep) -> bool:
    """Run or check `step`; True when it is done and the next one may go."""
    if step.status == StepStatus.PENDING:
        step.status, step.started_at = StepStatus.RUNNING, timezone.now()
        try:
            with transaction.atomic():
                RUNNERS[step.name](run, step)
        except Exception as error:  # any refusal of a service ends the run, saying why
            _fail(run, step, f"{step.get_name_display()}: {_reason(error)}")
            return False
    if step.status == StepStatus.RUNNING and step.job_id is not None:
        return _job_outcome(run, step)
    return step.status in DONE


def _job_outcome(run: PipelineRun, step: PipelineStep) -> bool:
    job = step.job
    job.refresh_from_db()
    if job.is_active:
        return False
    if job.status == JobStatus.SUCCEEDED:
        _done(step, f"job {job.id} succeeded")
        return True
    reason = "the job was cancelled" if job.status == JobStatus.CANCELLED else job.error
    _fail(run, step, f"{step.get_name_display()}: job {job.id} {job.status}: {reason}")
    return False


def _reason(error: Exception) -> str:
    messages = getattr(error, "message_dict", None)
    if messages:
        return "; ".join(f"{field}: {' '.join(text)}" for field, text in messages.items())
    return str(error)


# --- The steps ---------------------------------------------------------------------


def _clone(run: PipelineRun, step: PipelineStep) -> None:
    pipeline = run.pipeline
    name = f"{run.champion.name[:60]} · {pipeline.name[:25]} run {run.id}"
    run.challenger = model_clone(
        source=run.champion,
        name=name,
        user=run.created_by,
        configuration=pipeline.overrides,
        dataset=pipeline.dataset,
    )
    run.save(update_fields=["challenger"])
    _done(step, f"cloned {run.champion.name} as {name}")


def _train(run: PipelineRun, step: PipelineStep) -> None:
    _wait_for(step, model_train(model=run.challenger, user=run.created_by))


def _evaluate(run: PipelineRun, step: PipelineStep) -> None:
    from evaluation.services import model_evaluate

    challenger = step.name == StepName.EVALUATE_CHALLENGER
    model = run.challenger if challenger else run.champion
    job = model_evaluate(
        model=model,
        dataset=run.pipeline.dataset,
        subset=run.champion.test_subset,
        user=run.created_by,
    )
    field = "challenger_evaluation_id" if challenger else "champion_evaluation_id"
    setattr(run, field, job.parameters["evaluation"])
    run.save(update_fields=[field.removesuffix("_id")])
    _wait_for(step, job)


def _compare(run: PipelineRun, step: PipelineStep) -> None:
    run.decision = decide(run.pipeline, run.challenger_evaluation, run.champion_evaluation)
    run.save(update_fields=["decision"])
    _done(step, run.decision["reason"])
    if not run.decision["promote"]:
        run.steps.filter(name=StepName.PROMOTE).update(status=StepStatus.SKIPPED)
        run_end(run, RunStatus.DISCARDED)


def _promote(run: PipelineRun, step: PipelineStep) -> None:
    if run.pipeline.auto_promote:
        promote(run, run.created_by)
        return
    step.message = "waiting for a developer to approve the promotion"
    step.save()
    run.status = RunStatus.AWAITING_APPROVAL
    run.save(update_fields=["status"])


RUNNERS = {
    StepName.CLONE: _clone,
    StepName.TRAIN: _train,
    StepName.EVALUATE_CHALLENGER: _evaluate,
    StepName.EVALUATE_CHAMPION: _evaluate,
    StepName.COMPARE: _compare,
    StepName.PROMOTE: _promote,
}


def promote(run: PipelineRun, user) -> None:
    """In one transaction: the champion leaves service, the challenger takes its place."""
    with transaction.atomic():
        pipeline = Pipeline.objects.select_for_update().get(pk=run.pipeline_id)
        previous = pipeline.champion
        model_undeploy(model=previous, user=user)
        model_deploy(model=run.challenger, user=user)
        pipeline.champion = run.challenger
        pipeline.save(update_fields=["champion"])
        step = run.steps.get(name=StepName.PROMOTE)
        step.started_at = step.started_at or timezone.now()
        _done(step, f"{run.challenger} replaces {previous}")
        run_end(run, RunStatus.PROMOTED)


# --- Step and run ends -------------------------------------------------------------


def decide(pipeline: Pipeline, challenger, champion) -> dict:
    """The rule on the two evaluations, with the numbers it looked at."""
    metric = pipeline.metric
    new, old = challenger.summary.get(metric), champion.summary.get(metric)
    if new is None or old is None:
        raise StepFailed(f"the evaluations have no {metric!r} to compare.")
    gain = (new - old) if pipeline.higher_is_better else (old - new)
    bound = pipeline.min_improvement
    # 0 asks for any improvement; above 0 for at least that much; below 0 tolerates a loss.
    wins = gain > 0 if bound == 0 else gain >= bound
    decision = {"metric": metric, "challenger": new, "champion": old, "gain": gain}
    # The rule as it stood, so the decision can be audited after the pipeline changes.
    decision.update(min_improvement=bound, higher_is_better=pipeline.higher_is_better)
    decision.update(max_label_regression=pipeline.max_label_regression, promote=wins)
    decision["reason"] = f"{metric}: {new:.4f} vs {old:.4f}, gain {gain:+.4f} (needs {bound:+g})"
    if wins and pipeline.max_label_regression is not None:
        _check_labels(pipeline, challenger, champion, decision)
    return decision


def _check_labels(pipeline: Pipeline, challenger, champion, decision: dict) -> None:
    key = "AP" if pipeline.dataset.annotation_kind == AnnotationKind.BOX else "f1"
    drops = {}
    for label, row in champion.per_label.items():
        old, new = row.get(key), (challenger.per_label.get(label) or {}).get(key)
        if old is not None:
            drops[label] = old - (new or 0.0)
    worst = max(drops, key=drops.get, default=None)
    decision["label_regressions"] = drops
    if worst is not None and drops[worst] > pipeline.max_label_regression:
        decision["promote"] = False
        decision["reason"] += (
            f"; {key} of {worst} falls by {drops[worst]:.4f} "
            f"(at most {pipeline.max_label_regression:g})"
        )


def _wait_for(step: PipelineStep, job) -> None:
    step.job = job
    step.message = f"job {job.id} queued"
    step.save()


def _done(step: PipelineStep, message: str) -> None:
    step.status, step.message, step.finished_at = StepStatus.SUCCEEDED, message, timezone.now()
    step.save()


def _fail(run: PipelineRun, step: PipelineStep, reason: str) -> None:
    step.status, step.message, step.finished_at = StepStatus.FAILED, reason, timezone.now()
    step.save()
    run.steps.filter(status=StepStatus.PENDING).update(status=StepStatus.SKIPPED)
    run_end(run, RunStatus.FAILED, error=reason)
