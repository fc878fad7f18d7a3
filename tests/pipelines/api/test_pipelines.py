"""/api/v1/pipelines and /api/v1/pipeline-runs: who may do what, and the shapes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import JobStatus
from pipelines.models import Pipeline, PipelineRun, PipelineStep, RunStatus, StepName
from pipelines.services.pipelines import pipeline_create, pipeline_trigger
from pipelines.services.steps import pipeline_advance
from registry.models import ModelStatus, ModelVersion
from tests.errors import error_of
from tests.factories import ArtifactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def champion(model, dataset):
    model.dataset, model.status = dataset, ModelStatus.TRAINED
    model.save()
    ArtifactFactory(model=model)
    return model


@pytest.fixture
def pipeline(cast, champion):
    return pipeline_create(
        project=cast.project,
        user=cast.owner,
        name="nightly",
        dataset=champion.dataset,
        champion=champion,
    )


def body(cast, champion, **fields):
    return {
        "project": cast.project.id,
        "name": "weekly",
        "dataset": champion.dataset_id,
        "champion": champion.id,
        "metric": "accuracy",
        "min_improvement": 0.01,
        **fields,
    }


@pytest.mark.parametrize(("role", "code"), [("developer", 201), ("owner", 201), ("viewer", 403)])
def test_developers_and_owners_create_pipelines(cast, champion, api_as, role, code):
    response = api_as(cast.user(role)).post(
        "/api/v1/pipelines", body(cast, champion), format="json"
    )
    assert response.status_code == code, response.json()
    assert Pipeline.objects.filter(name="weekly").exists() is (code == 201)


def test_an_outsider_gets_404_everywhere(cast, pipeline, champion, api_as):
    client = api_as(cast.outsider)
    run = pipeline_trigger(pipeline=pipeline, trigger="manual")
    assert client.post("/api/v1/pipelines", body(cast, champion), format="json").status_code == 404
    assert client.get(f"/api/v1/pipelines/{pipeline.id}").status_code == 404
    assert client.post(f"/api/v1/pipelines/{pipeline.id}/run").status_code == 404
    assert client.get(f"/api/v1/pipelines/{pipeline.id}/runs").status_code == 404
    assert client.post(f"/api/v1/pipeline-runs/{run.id}/cancel").status_code == 404
    assert client.get("/api/v1/pipelines").json()["results"] == []


def test_a_viewer_reads_but_cannot_run_pause_or_cancel(cast, pipeline, api_as):
    client = api_as(cast.viewer)
    run = pipeline_trigger(pipeline=pipeline, trigger="manual")
    assert client.get(f"/api/v1/pipelines?project={cast.project.id}").status_code == 200
    assert client.get(f"/api/v1/pipelines/{pipeline.id}/runs").status_code == 200
    for path in ["run", "pause", "resume"]:
        assert client.post(f"/api/v1/pipelines/{pipeline.id}/{path}").status_code == 403
    assert client.patch(f"/api/v1/pipelines/{pipeline.id}", {}, format="json").status_code == 403
    assert client.post(f"/api/v1/pipeline-runs/{run.id}/cancel").status_code == 403


def test_a_bad_rule_is_a_400_naming_the_field(cast, champion, api_as):
    wrong = body(cast, champion, trigger="schedule", schedule="every day")
    response = api_as(cast.developer).post("/api/v1/pipelines", wrong, format="json")
    assert response.status_code == 400
    assert "schedule" in error_of(response)["fields"]


def test_it_lists_and_edits_pipelines(cast, pipeline, api_as):
    client = api_as(cast.developer)
    listed = client.get("/api/v1/pipelines").json()["results"]
    assert [row["name"] for row in listed] == ["nightly"]
    assert listed[0]["champion_name"] == "first"
    response = client.patch(
        f"/api/v1/pipelines/{pipeline.id}", {"auto_promote": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["auto_promote"] is False


def test_run_now_twice_gives_one_run_and_a_pending_trigger(cast, pipeline, api_as):
    client = api_as(cast.developer)
    first = client.post(f"/api/v1/pipelines/{pipeline.id}/run")
    second = client.post(f"/api/v1/pipelines/{pipeline.id}/run")
    assert first.status_code == second.status_code == 202
    assert first.json()["run"]["status"] == "queued"
    assert [step["name"] for step in first.json()["run"]["steps"]][:2] == ["clone", "train"]
    assert second.json() == {"run": None, "pending": True}
    assert PipelineRun.objects.count() == 1


def test_pause_and_resume(cast, pipeline, api_as):
    client = api_as(cast.developer)
    assert client.post(f"/api/v1/pipelines/{pipeline.id}/pause").json()["paused"] is True
    assert client.post(f"/api/v1/pipelines/{pipeline.id}/resume").json()["paused"] is False


def test_runs_show_their_steps_and_jobs(cast, pipeline, api_as):
    run = pipeline_advance(run_id=pipeline_trigger(pipeline=pipeline, trigger="manual").id)
    response = api_as(cast.viewer).get(f"/api/v1/pipelines/{pipeline.id}/runs")
    row = response.json()["results"][0]
    assert row["id"] == run.id
    assert row["challenger"] == run.challenger_id
    assert row["data_checksum"] == run.data_checksum
    steps = {step["name"]: step for step in row["steps"]}
    assert steps["clone"]["status"] == "succeeded"
    assert steps["train"]["job"] == run.steps.get(name="train").job_id


def test_cancel_then_cancel_again_is_a_409(cast, pipeline, api_as):
    run = pipeline_advance(run_id=pipeline_trigger(pipeline=pipeline, trigger="manual").id)
    client = api_as(cast.developer)
    response = client.post(f"/api/v1/pipeline-runs/{run.id}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == RunStatus.CANCELLED
    assert run.steps.get(name="train").job.status == JobStatus.CANCELLED
    assert client.post(f"/api/v1/pipeline-runs/{run.id}/cancel").status_code == 409
    assert client.post(f"/api/v1/pipeline-runs/{run.id}/approve").status_code == 409


def ended_runs(pipeline, count: int) -> None:
    for _ in range(count):
        run = PipelineRun.objects.create(
            pipeline=pipeline, trigger="manual", champion=pipeline.champion, status="discarded"
        )
        run.steps.bulk_create(
            [PipelineStep(run=run, name=name, position=i) for i, name in enumerate(StepName)]
        )


def test_the_runs_list_costs_the_same_queries_for_one_run_or_many(
    cast, pipeline, api_as, django_assert_num_queries
):
    client = api_as(cast.viewer)
    ended_runs(pipeline, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/pipelines/{pipeline.id}/runs").json()["count"] == 1
    ended_runs(pipeline, 9)

    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(f"/api/v1/pipelines/{pipeline.id}/runs").json()

    assert len(page["results"]) == 10
    assert all(len(run["steps"]) == 6 for run in page["results"])


def test_a_pipeline_is_deleted_but_not_while_it_runs(cast, pipeline, api_as):
    run = pipeline_trigger(pipeline=pipeline, trigger="manual")
    assert api_as(cast.viewer).delete(f"/api/v1/pipelines/{pipeline.id}").status_code == 403
    client = api_as(cast.developer)
    response = client.delete(f"/api/v1/pipelines/{pipeline.id}")
    assert response.status_code == 409
    assert "cancel it first" in error_of(response)["message"]

    client.post(f"/api/v1/pipeline-runs/{run.id}/cancel")
    assert client.delete(f"/api/v1/pipelines/{pipeline.id}").status_code == 204

    assert not Pipeline.objects.filter(pk=pipeline.pk).exists()
    assert not PipelineRun.objects.filter(pk=run.pk).exists()
    assert ModelVersion.objects.filter(pk=pipeline.champion_id).exists()
