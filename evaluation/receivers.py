"""What the evaluations do when rows of other domains change (connected in apps.py)."""

from django.dispatch import receiver
from django.utils import timezone

from data.models import Item, Label
from data.signals import rows_deleting
from evaluation.count_grids import count_grids_forget
from evaluation.models import Evaluation, EvaluationStatus
from jobs.models import Job, JobKind, JobStatus
from jobs.signals import job_ended

WAITING = (EvaluationStatus.CREATED, EvaluationStatus.QUEUED, EvaluationStatus.RUNNING)


@receiver(job_ended, sender=Job, dispatch_uid="evaluation-follows-its-job")
def fail_the_evaluation_of_a_job_that_did_not_succeed(sender, job: Job, **kwargs) -> None:
    """An evaluate job that ends without succeeding leaves no evaluation waiting for ever."""
    if job.kind != JobKind.EVALUATE or job.status == JobStatus.SUCCEEDED:
        return
    reason = "The job was cancelled." if job.status == JobStatus.CANCELLED else job.error
    Evaluation.objects.filter(job=job, status__in=WAITING).update(
        status=EvaluationStatus.FAILED,
        error=reason or "The job failed.",
        finished_at=timezone.now(),
    )


@receiver(rows_deleting, sender=Item, dispatch_uid="count-grids-forget-items")
@receiver(rows_deleting, sender=Label, dispatch_uid="count-grids-forget-labels")
def forget_the_count_grids_over_deleted_rows(sender, item_ids=(), label_ids=(), **kwargs) -> None:
    # The grids would count rows that are gone; a page reading an evaluation without
    # grids counts its rows instead, with the same result.
    count_grids_forget(item_ids=item_ids, label_ids=label_ids)
