"""The pipeline page: settings, champion, the runs timeline, its buttons and live refresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import JobStatus
from pipelines.models import Pipeline, PipelineRun, RunStatus, StepStatus
from pipelines.services import pipelines as services
from pipelines.services.steps import pipeline_advance
from registry.models import ModelVersion
from serving.services import model_deploy
from tests.factories import AnnotationFactory, ItemFactory
from tests.pipelines.pages.test_pipeline_pages import build_champion, make_pipeline
from tests.pipelines.services.test_pipelines import finish_job, run_to_compare, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def champion(cast):
    return build_champion(cast.project, cast.developer)


@pytest.fixture
def pipeline(champion):
    return make_pipeline(champion, min_improvement=0.05, max_label_regression=0.1)


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def url(pipeline, name: str = "pipeline_detail", *run_ids: int) -> str:
    return reverse(f"pipelines:{name}", args=[pipeline.project_id, pipeline.id, *run_ids])


def start(pipeline) -> PipelineRun:
    return services.pipeline_trigger(
        pipeline=pipeline, trigger="manual", user=pipeline.champion.created_by
    )


def finished_run(pipeline, challenger=0.8, champion=0.8) -> PipelineRun:
    """A run taken through its steps with both evaluations scored, as a worker would;
    by default a tie, which keeps the champion."""
    return run_to_compare(start(pipeline), challenger=challenger, champion=champion)


# --- Settings and champion -----------------------------------------------------------


def test_the_page_says_the_settings_in_words_and_links_the_champion(dev, pipeline, champion):
    html = dev.get(url(pipeline)).content.decode()

    assert "<h1>nightly</h1>" in html
    assert "Manual only" in html
    assert "Accuracy, higher is better, by at least +0.05; no label may drop more than 0.1" in html
    link = f'href="/projects/{champion.project_id}/models/{champion.id}/" id="champion-link">'
    assert link in html
    assert "Not deployed." in html
    assert "No runs yet." in html


def test_a_deployed_champion_is_marked_deployed(dev, pipeline, champion):
    model_deploy(model=champion, user=champion.created_by)

    html = dev.get(url(pipeline)).content.decode()

    assert '<span class="badge deployment-state-starting">deployed</span>' in html


def test_a_developer_sees_run_now_pause_and_edit(dev, pipeline):
    html = dev.get(url(pipeline)).content.decode()

    assert ">Run now</button>" in html
    assert ">Pause</button>" in html
    assert f'href="{url(pipeline, "pipeline_edit")}">Edit</a>' in html


# --- Buttons -------------------------------------------------------------------------


def test_run_now_queues_a_run_with_its_six_steps_in_order(dev, cast, pipeline):
    response = dev.post(url(pipeline, "pipeline_run_now"), follow=True)

    run = PipelineRun.objects.get()
    assert (run.status, run.trigger, run.created_by) == ("queued", "manual", cast.developer)
    html = response.content.decode()
    assert f"Run #{run.id} queued." in html
    names = ["Clone", "Train", "Evaluate challenger", "Evaluate champion", "Compare", "Promote"]
    positions = [html.index(f'<span class="step-name">{name}</span>') for name in names]
    assert positions == sorted(positions)
    assert "Run now by developer" in html


def test_run_now_during_an_active_run_says_the_trigger_waits(dev, pipeline):
    start(pipeline)

    response = dev.post(url(pipeline, "pipeline_run_now"), follow=True)

    assert PipelineRun.objects.count() == 1
    pipeline.refresh_from_db()
    assert pipeline.pending_trigger == "manual"
    html = response.content.decode()
    assert "A run is active: this one is remembered and starts after it." in html
    assert "the next run starts when it ends" in html


def test_pause_and_resume_switch_the_pipeline_and_the_button(dev, pipeline):
    paused = dev.post(url(pipeline, "pipeline_pause"), follow=True).content.decode()
    pipeline.refresh_from_db()
    assert pipeline.paused is True
    assert ">Resume</button>" in paused
    assert '<span class="badge pipeline-paused">paused</span>' in paused

    resumed = dev.post(url(pipeline, "pipeline_resume"), follow=True).content.decode()
    pipeline.refresh_from_db()
    assert pipeline.paused is False
    assert ">Pause</button>" in resumed
    assert "Resumed: nightly runs on its trigger again." in resumed


def test_cancel_ends_an_active_run_and_its_job(dev, pipeline):
    run = pipeline_advance(run_id=start(pipeline).id)  # cloned, training queued
    html = dev.get(url(pipeline)).content.decode()
    assert f'data-confirm="Cancel run #{run.id}?' in html

    response = dev.post(url(pipeline, "run_cancel", run.id), follow=True)

    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert step(run, "train").job.status == JobStatus.CANCELLED
    html = response.content.decode()
    assert f"Run #{run.id} cancelled; nothing was promoted." in html
    assert f'id="cancel-run-{run.id}"' not in html


def test_cancelling_an_ended_run_says_why_and_changes_nothing(dev, pipeline):
    run = finished_run(pipeline)

    response = dev.post(url(pipeline, "run_cancel", run.id), follow=True)

    assert "The run has already ended (discarded)." in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED


def test_approve_promotes_a_run_that_awaits_approval(dev, champion):
    pipeline = make_pipeline(champion, auto_promote=False)
    run = finished_run(pipeline, challenger=0.9)
    assert f'id="approve-run-{run.id}"' in dev.get(url(pipeline)).content.decode()

    response = dev.post(url(pipeline, "run_approve", run.id), follow=True)

    run.refresh_from_db()
    pipeline.refresh_from_db()
    assert run.status == RunStatus.PROMOTED
    assert pipeline.champion == run.challenger
    html = response.content.decode()
    assert f"Run #{run.id} approved: its challenger is the champion now." in html
    assert f'id="champion-link">{run.challenger.name}</a>' in html


def test_approving_a_run_that_does_not_wait_says_why(dev, pipeline):
    run = start(pipeline)

    response = dev.post(url(pipeline, "run_approve", run.id), follow=True)

    assert "The run is queued, not awaiting approval." in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


# --- The runs ------------------------------------------------------------------------


def test_a_run_shows_its_data_steps_jobs_links_and_decision(dev, cast, pipeline):
    run = finished_run(pipeline, challenger=0.9, champion=0.8)
    project = cast.project.id

    html = dev.get(url(pipeline)).content.decode()

    assert '<span class="badge run-promoted" id="run-' in html
    assert "2 train items, 1 test item" in html
    assert f'<code title="{run.data_checksum}">{run.data_checksum[:12]}</code>' in html
    train_job = step(run, "train").job_id
    assert f'href="/projects/{project}/jobs/{train_job}/">job #{train_job}</a>' in html
    assert f"/projects/{project}/evaluations/{run.challenger_evaluation_id}/" in html
    assert f"/projects/{project}/evaluations/{run.champion_evaluation_id}/" in html
    compare = f"/projects/{project}/compare/?models={run.champion_id},{run.challenger_id}"
    assert f'href="{compare}&amp;eval=accuracy">Compare the two</a>' in html
    for number in ["0.9000", "0.8000", "+0.1000", "≥ +0.0500", "<td>yes</td>"]:
        assert number in html
    assert run.decision["reason"] in html


def test_a_label_regression_table_lists_the_drops(dev, pipeline):
    run = start(pipeline)
    run.status = RunStatus.DISCARDED
    run.decision = {
        "metric": "accuracy",
        "challenger": 0.9,
        "champion": 0.8,
        "gain": 0.1,
        "min_improvement": 0.05,
        "promote": False,
        "reason": "f1 of dog falls by 0.2000 (at most 0.1)",
        "label_regressions": {"cat": -0.05, "dog": 0.2},
    }
    run.save()

    html = dev.get(url(pipeline)).content.decode()

    assert "<td>no</td>" in html
    assert '<td>dog</td><td class="num">+0.2000</td>' in html
    assert html.index("<td>dog</td>") < html.index("<td>cat</td>")


def test_a_failed_run_shows_its_error(dev, pipeline):
    run = pipeline_advance(run_id=start(pipeline).id)
    finish_job(step(run, "train"), ok=False)
    run = pipeline_advance(run_id=run.id)

    html = dev.get(url(pipeline)).content.decode()

    assert run.status == RunStatus.FAILED
    assert '<pre class="job-error">Train: job' in html
    assert "RuntimeError: broke" in html
    assert f'data-step="train" data-status="{StepStatus.FAILED}"' in html


def test_the_runs_are_paginated_twenty_to_a_page(dev, pipeline):
    for _ in range(21):
        services.run_cancel(run=start(pipeline), user=None)
    oldest, *_, newest = PipelineRun.objects.order_by("id")

    first = dev.get(url(pipeline)).content.decode()
    second = dev.get(url(pipeline) + "?page=2").content.decode()

    assert first.count('class="card run"') == 20
    assert f'id="run-{newest.id}"' in first
    assert "Page 1 of 2 · 21 in all" in first
    assert f'id="run-{oldest.id}"' in second


# --- Live refresh --------------------------------------------------------------------


def test_the_runs_poll_every_two_seconds_while_one_is_active(dev, pipeline):
    start(pipeline)

    html = dev.get(url(pipeline)).content.decode()

    assert f'hx-get="{url(pipeline, "pipeline_runs")}?page=1" hx-trigger="every 2s"' in html


def test_the_polled_runs_stop_polling_and_bring_the_new_champion_when_the_run_ends(dev, champion):
    pipeline = make_pipeline(champion, auto_promote=False)
    run = finished_run(pipeline, challenger=0.9)
    assert 'hx-trigger="every 2s"' in dev.get(url(pipeline, "pipeline_runs")).content.decode()
    services.run_approve(run=run, user=None)

    partial = dev.get(url(pipeline, "pipeline_runs")).content.decode()

    assert "hx-trigger" not in partial
    assert "<h1>" not in partial
    assert '<span class="badge run-promoted"' in partial
    assert 'id="pipeline-champion" hx-swap-oob="true"' in partial
    assert f'id="champion-link">{run.challenger.name}</a>' in partial


def test_a_page_without_an_active_run_does_not_poll(dev, pipeline):
    finished_run(pipeline)

    assert "hx-trigger" not in dev.get(url(pipeline)).content.decode()


# --- Queries -------------------------------------------------------------------------


def queries_for(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["pipeline_detail", "pipeline_runs"])
def test_the_page_runs_the_same_queries_for_one_run_or_many(
    dev, pipeline, name, django_assert_num_queries
):
    finished_run(pipeline)
    one_run = queries_for(dev, url(pipeline, name))
    for _ in range(4):
        finished_run(pipeline)
    pipeline_advance(run_id=start(pipeline).id)  # and one active, with a job running

    with django_assert_num_queries(one_run):
        dev.get(url(pipeline, name))
    assert one_run <= 11  # the pipeline is read again after its runs (see _page_context)


# --- Trigger state and delete ------------------------------------------------------------


def test_a_scheduled_pipeline_says_when_it_runs_next(dev, champion):
    scheduled = make_pipeline(
        champion, name="nightly cron", trigger="schedule", schedule="0 3 * * *"
    )

    html = dev.get(url(scheduled)).content.decode()

    assert "At 03:00 AM (UTC): cron 0 3 * * *" in html
    assert "Next run" in html
    assert " 03:00 UTC</time>" in html
    services.pipeline_pause(pipeline=scheduled)
    assert "Next run" not in dev.get(url(scheduled)).content.decode()


def test_a_new_items_pipeline_says_how_many_items_came_since_its_last_run(dev, champion):
    counting = make_pipeline(
        champion, name="on new data", trigger="new_items", new_items_threshold=50
    )
    label = champion.dataset.labels.get()
    AnnotationFactory(item=ItemFactory(dataset=champion.dataset, subset="train"), label=label)

    html = dev.get(url(counting)).content.decode()

    assert "1 of 50 annotated train items since the last run" in html


def test_delete_asks_first_then_deletes_the_pipeline_and_keeps_its_versions(dev, pipeline):
    ended = finished_run(pipeline)
    confirm = dev.get(url(pipeline, "pipeline_delete")).content.decode()
    assert "the record of its 1 run" in confirm
    assert "Delete nightly</button>" in confirm

    response = dev.post(url(pipeline, "pipeline_delete"))

    assert response.status_code == 302
    assert response["Location"] == reverse("pipelines:pipeline_list", args=[pipeline.project_id])
    assert not PipelineRun.objects.filter(pk=ended.pk).exists()
    assert ModelVersion.objects.filter(pk=ended.challenger_id).exists()
    assert ModelVersion.objects.filter(pk=pipeline.champion_id).exists()


def test_a_pipeline_with_an_active_run_is_not_deleted(dev, pipeline):
    start(pipeline)
    assert "Cancel the run first" in dev.get(url(pipeline, "pipeline_delete")).content.decode()

    response = dev.post(url(pipeline, "pipeline_delete"), follow=True)

    assert "cancel it first" in response.content.decode()
    assert Pipeline.objects.filter(pk=pipeline.pk).exists()


def test_a_viewer_cannot_delete_a_pipeline(client, cast, pipeline):
    client.force_login(cast.viewer)
    assert "Delete</a>" not in client.get(url(pipeline)).content.decode()
    assert client.post(url(pipeline, "pipeline_delete")).status_code in (403, 404)
    assert Pipeline.objects.filter(pk=pipeline.pk).exists()
