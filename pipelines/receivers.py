"""Receivers for what no single service sees (connected in apps.py).

A pipeline goes with its project or its dataset by cascade, and from the admin,
without passing through `pipeline_delete`; its cron entry must go with it, or beat
would keep a row for a pipeline that no longer exists. A job that is a step of a
run ends in the jobs app, which knows nothing of pipelines: the run moves on here.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from jobs.models import Job
from jobs.signals import job_ended
from pipelines.models import Pipeline
from pipelines.services.runs import run_advance_later
from pipelines.services.schedules import schedule_forget


@receiver(post_delete, sender=Pipeline, dispatch_uid="pipeline-forget-schedule")
def forget_the_schedule_of_a_deleted_pipeline(sender, instance: Pipeline, **kwargs) -> None:
    # In the deleting transaction: a rolled-back delete keeps the pipeline and its entry.
    schedule_forget(instance.id)


@receiver(job_ended, sender=Job, dispatch_uid="pipeline-run-follows-its-job")
def move_on_the_run_whose_step_the_job_is(sender, job: Job, **kwargs) -> None:
    """A job that is a step of a pipeline run moves the run on once this commits."""
    run_id = job.pipeline_steps.values_list("run_id", flat=True).first()
    if run_id is not None:
        run_advance_later(run_id)
