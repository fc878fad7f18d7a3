"""A scheduled pipeline's cron entry in celery beat's database schedule.

Beat runs with django-celery-beat's DatabaseScheduler (config/settings.py): each
pipeline whose trigger is a schedule owns one PeriodicTask named after it, which
queues `registry.pipeline_scheduled` with the pipeline's id. The rows live in the
database, so a restarted beat picks every schedule up where it left it.
"""

import json
from datetime import datetime

import cron_descriptor
from celery.schedules import crontab
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core import tasks
from pipelines.models import Pipeline, PipelineTrigger

TASK = tasks.PIPELINE_SCHEDULED
CRON_FIELDS = {
    "minute": "minute",
    "hour": "hour",
    "day_of_month": "day of month",
    "month_of_year": "month",
    "day_of_week": "day of week",
}


def cron_fields(schedule: str) -> dict[str, str]:
    """The five fields of a cron line, each checked the way beat will read it."""
    parts = (schedule or "").split()
    if len(parts) != 5:
        raise ValidationError(
            {
                "schedule": "A schedule has the 5 fields of cron: minute hour day month weekday "
                "(e.g. 0 3 * * * for 03:00 UTC every day)."
            }
        )
    fields = dict(zip(CRON_FIELDS, parts, strict=True))
    for field, value in fields.items():
        try:
            crontab(**{field: value})
        except ValueError as error:
            message = f"The {CRON_FIELDS[field]} field {value!r} is not valid: {error}"
            raise ValidationError({"schedule": message}) from error
    return fields


def entry_name(pipeline_id: int) -> str:
    return f"pipeline {pipeline_id}"


def schedule_sync(pipeline: Pipeline) -> None:
    """Make beat's entry match the pipeline: present and enabled only when it should fire."""
    if pipeline.trigger != PipelineTrigger.SCHEDULE:
        schedule_forget(pipeline.id)
        return
    cron, _ = CrontabSchedule.objects.get_or_create(
        **cron_fields(pipeline.schedule), timezone="UTC"
    )
    entry = PeriodicTask.objects.filter(name=entry_name(pipeline.id)).first()
    entry = entry or PeriodicTask(name=entry_name(pipeline.id), task=TASK)
    entry.crontab, entry.args = cron, json.dumps([pipeline.id])
    entry.enabled = not pipeline.paused
    entry.description = f"Runs the pipeline {pipeline.name} of project {pipeline.project_id}."
    # save() (not update()) so beat's change marker moves and it reloads the schedule.
    entry.save()


def schedule_forget(pipeline_id: int) -> None:
    for entry in PeriodicTask.objects.filter(name=entry_name(pipeline_id)):
        entry.delete()


def schedule_in_words(schedule: str) -> str:
    """'0 3 * * *' -> 'At 03:00 AM (UTC)'; the cron line itself when it cannot say."""
    try:
        return f"{cron_descriptor.get_description(schedule)} (UTC)"
    except Exception:  # a line only beat understands is still shown, as written
        return f"cron {schedule} (UTC)"


def next_fire_at(pipeline: Pipeline, now: datetime | None = None) -> datetime | None:
    """When beat fires the pipeline next; None for other triggers or a paused one."""
    if pipeline.trigger != PipelineTrigger.SCHEDULE or pipeline.paused:
        return None
    now = now or timezone.now()
    try:
        schedule = crontab(**cron_fields(pipeline.schedule), nowfun=lambda: now)
    except ValidationError:
        return None
    return now + schedule.remaining_estimate(now)
