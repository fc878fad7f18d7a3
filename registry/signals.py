"""Receivers for what no single service sees.

A pipeline goes with its project or its dataset by cascade, and from the admin,
without passing through `pipeline_delete`; its cron entry must go with it, or beat
would keep a row for a pipeline that no longer exists.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from registry.models import Pipeline
from registry.services.pipeline_schedules import schedule_forget


@receiver(post_delete, sender=Pipeline, dispatch_uid="pipeline-forget-schedule")
def forget_the_schedule_of_a_deleted_pipeline(sender, instance: Pipeline, **kwargs) -> None:
    # In the deleting transaction: a rolled-back delete keeps the pipeline and its entry.
    schedule_forget(instance.id)
