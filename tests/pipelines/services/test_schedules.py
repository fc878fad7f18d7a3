"""Scheduled pipelines: their cron entry in beat's database schedule, and what it fires."""

import json
from datetime import UTC, datetime

import pytest
from celery.schedules import crontab
from django.core.exceptions import ValidationError
from django.db import transaction
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app
from data.services.datasets import dataset_delete
from pipelines.models import Pipeline, PipelineRun, RunStatus
from pipelines.services import pipelines as services
from pipelines.services.pipelines import pipeline_scheduled
from pipelines.services.schedules import next_fire_at, schedule_in_words
from registry.services.projects import project_delete
from tests.factories import UserFactory
from tests.pipelines.services.test_pipelines import a_trained_champion, make


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def champion(user):
    return a_trained_champion(user)


def entry_of(pipeline) -> PeriodicTask | None:
    return PeriodicTask.objects.filter(name=f"pipeline {pipeline.id}").first()


def test_a_scheduled_pipeline_gets_a_cron_entry_in_the_database(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="30  3 * * mon-fri")

    entry = entry_of(pipeline)
    assert entry.task == "registry.pipeline_scheduled"
    assert json.loads(entry.args) == [pipeline.id]
    assert entry.enabled
    cron = entry.crontab
    fields = (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week)
    assert fields == ("30", "3", "*", "*", "mon-fri")
    assert pipeline.schedule == "30 3 * * mon-fri"


def test_beat_reads_the_entry_after_a_restart(champion, user):
    # Every hour: beat leaves out of its working set the fixed hours far from now.
    pipeline = make(champion, user, trigger="schedule", schedule="*/15 * * * *")

    # A new scheduler is what a restarted beat builds: it finds the entry in the rows.
    schedule = DatabaseScheduler(app=app, lazy=True).all_as_schedule()

    entry = schedule[f"pipeline {pipeline.id}"]
    assert entry.task == "registry.pipeline_scheduled"
    assert entry.schedule == crontab(minute="*/15")
    assert list(entry.args) == [pipeline.id]


def test_pausing_disables_the_entry_and_resuming_enables_it(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="*/15 * * * *")

    services.pipeline_pause(pipeline=pipeline)
    assert entry_of(pipeline).enabled is False
    assert f"pipeline {pipeline.id}" not in DatabaseScheduler(app=app, lazy=True).all_as_schedule()

    services.pipeline_resume(pipeline=pipeline)
    assert entry_of(pipeline).enabled is True
    assert f"pipeline {pipeline.id}" in DatabaseScheduler(app=app, lazy=True).all_as_schedule()


def test_changing_the_schedule_or_the_trigger_updates_or_removes_the_entry(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")

    services.pipeline_update(pipeline=pipeline, schedule="15 */2 * * *")
    assert (entry_of(pipeline).crontab.minute, entry_of(pipeline).crontab.hour) == ("15", "*/2")
    assert PeriodicTask.objects.filter(task="registry.pipeline_scheduled").count() == 1

    services.pipeline_update(pipeline=pipeline, trigger="manual")
    assert entry_of(pipeline) is None


def test_deleting_a_pipeline_removes_its_entry(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")
    services.pipeline_delete(pipeline=pipeline, user=user)
    assert not PeriodicTask.objects.filter(task="registry.pipeline_scheduled").exists()


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ("0 3 * *", "5 fields"),
        ("61 * * * *", "minute field '61'"),
        ("0 25 * * *", "hour field '25'"),
        ("0 3 * 13 *", "month field '13'"),
        ("0 3 * * someday", "day of week field 'someday'"),
    ],
)
def test_a_bad_cron_line_is_refused_naming_its_field(champion, user, schedule, says):
    with pytest.raises(ValidationError) as error:
        make(champion, user, trigger="schedule", schedule=schedule)
    assert says in " ".join(error.value.message_dict["schedule"])
    assert not PeriodicTask.objects.filter(task="registry.pipeline_scheduled").exists()


def test_the_entry_firing_starts_a_scheduled_run(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")

    run = pipeline_scheduled(pipeline_id=pipeline.id)

    assert run.trigger == "schedule"
    assert run.status == RunStatus.QUEUED
    # Firing again while that run is active remembers the trigger instead.
    assert pipeline_scheduled(pipeline_id=pipeline.id) is None
    pipeline.refresh_from_db()
    assert pipeline.pending_trigger == "schedule"
    assert PipelineRun.objects.filter(pipeline=pipeline).count() == 1


def test_an_entry_left_behind_removes_itself_when_it_fires(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")
    # A trigger changed without the service (a raw update) leaves the entry in place.
    Pipeline.objects.filter(pk=pipeline.pk).update(trigger="manual")

    assert pipeline_scheduled(pipeline_id=pipeline.id) is None
    assert entry_of(pipeline) is None
    assert not PipelineRun.objects.filter(pipeline=pipeline).exists()


def test_deleting_the_project_removes_the_entries_of_its_pipelines(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")

    project_delete(project=pipeline.project)

    assert entry_of(pipeline) is None


def test_deleting_the_dataset_removes_the_entries_of_its_pipelines(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")

    dataset_delete(dataset=pipeline.dataset)

    assert not Pipeline.objects.filter(pk=pipeline.pk).exists()
    assert entry_of(pipeline) is None


def test_a_delete_rolled_back_keeps_the_pipeline_and_its_entry(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")

    def delete_then_fail():
        with transaction.atomic():
            dataset_delete(dataset=pipeline.dataset)
            raise RuntimeError("something after the delete failed")

    with pytest.raises(RuntimeError):
        delete_then_fail()

    assert Pipeline.objects.filter(pk=pipeline.pk).exists()
    assert entry_of(pipeline).enabled


def test_the_next_firing_time_and_the_schedule_in_words(champion, user):
    pipeline = make(champion, user, trigger="schedule", schedule="0 3 * * *")
    now = datetime(2026, 11, 28, 12, 49, tzinfo=UTC)

    assert next_fire_at(pipeline, now) == datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert schedule_in_words(pipeline.schedule) == "At 03:00 AM (UTC)"
    assert next_fire_at(services.pipeline_pause(pipeline=pipeline), now) is None


def test_a_pipeline_with_an_active_run_cannot_be_deleted(champion, user):
    pipeline = make(champion, user)
    services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=user)
    with pytest.raises(services.JobConflict):
        services.pipeline_delete(pipeline=pipeline, user=user)
