"""A run whose moving-on message was lost is moved on by beat's reaper pass.

In these tests nothing runs on commit, so every message a job's end would queue is
"lost": exactly the case the pass is for.
"""

import pytest

from jobs.models import JobStatus
from jobs.services import job_start
from pipelines.models import RunStatus, StepStatus
from pipelines.services import pipelines as services
from tests.factories import UserFactory
from tests.pipelines.services.test_pipelines import (
    a_trained_champion,
    evaluation_of,
    finish_job,
    make,
    step,
)
from worker.tasks import reap_stale_jobs


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def pipeline(user):
    return make(a_trained_champion(user), user)


def start(pipeline):
    return services.pipeline_trigger(pipeline=pipeline, trigger="manual")


def test_a_queued_run_whose_message_was_lost_starts_on_the_next_pass(pipeline):
    run = start(pipeline)
    assert run.status == RunStatus.QUEUED

    assert services.pipeline_runs_move_on() == [run.id]

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert step(run, "clone").status == StepStatus.SUCCEEDED
    assert step(run, "train").job.status == JobStatus.QUEUED


def test_a_run_whose_job_ended_unheard_moves_on_to_the_end(pipeline):
    run = start(pipeline)
    services.pipeline_runs_move_on()
    run.refresh_from_db()
    finish_job(step(run, "train"))
    services.pipeline_runs_move_on()
    run.refresh_from_db()
    evaluation_of(run, "challenger_evaluation", 0.9)
    finish_job(step(run, "evaluate_challenger"))
    services.pipeline_runs_move_on()
    run.refresh_from_db()
    evaluation_of(run, "champion_evaluation", 0.8)
    finish_job(step(run, "evaluate_champion"))

    reap_stale_jobs()  # the task beat runs: it reaps silent jobs, then moves runs on

    run.refresh_from_db()
    assert run.status == RunStatus.PROMOTED
    pipeline.refresh_from_db()
    assert pipeline.champion == run.challenger


def test_a_run_whose_job_is_still_active_is_left_as_it_is(pipeline):
    run = start(pipeline)
    services.pipeline_runs_move_on()
    run.refresh_from_db()
    job_start(job_id=step(run, "train").job_id, worker="test")

    services.pipeline_runs_move_on()

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert step(run, "train").status == StepStatus.RUNNING
    assert step(run, "evaluate_challenger").status == StepStatus.PENDING


def test_ended_runs_and_runs_awaiting_approval_are_not_touched(user):
    waiting = make(a_trained_champion(user), user, name="by hand", auto_promote=False)
    run = start(waiting)
    run.status = RunStatus.AWAITING_APPROVAL
    run.save()
    failed = start(make(a_trained_champion(user), user, name="other"))
    failed.status = RunStatus.FAILED
    failed.save()

    assert services.pipeline_runs_move_on() == []
