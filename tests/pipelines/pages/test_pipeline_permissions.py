"""Who may read and press what on the pipeline pages; other projects' ids answer 404."""

import pytest
from django.test import Client
from django.urls import reverse

from pipelines.models import Pipeline, PipelineRun, RunStatus
from pipelines.services import pipelines as services
from tests.pipelines.pages.test_pipeline_pages import build_champion, form_data, make_pipeline

pytestmark = pytest.mark.django_db

BUTTONS = ["pipeline_run_now", "pipeline_pause", "pipeline_resume"]
RUN_BUTTONS = ["run_cancel", "run_approve"]


@pytest.fixture
def pipeline(cast):
    return make_pipeline(build_champion(cast.project, cast.developer))


@pytest.fixture
def run(pipeline):
    return services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=None)


@pytest.fixture
def their_pipeline(cast):
    """A pipeline of the outsider's own project, with a run of its own."""
    theirs = make_pipeline(build_champion(cast.other_project, cast.outsider, name="their v1"))
    services.pipeline_trigger(pipeline=theirs, trigger="manual", user=None)
    return theirs


def address(name: str, project_id: int, *ids: int) -> str:
    return reverse(f"pipelines:{name}", args=[project_id, *ids])


def state(pipeline) -> tuple:
    pipeline.refresh_from_db()
    runs = PipelineRun.objects.filter(pipeline=pipeline)
    return pipeline.paused, pipeline.name, sorted(runs.values_list("id", "status"))


# --- Readers -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "annotator"])
def test_a_reader_sees_the_pipeline_and_its_runs_but_no_write_button(client, cast, run, role):
    client.force_login(cast.user(role))
    pipeline = run.pipeline

    listing = client.get(address("pipeline_list", cast.project.id)).content.decode()
    html = client.get(address("pipeline_detail", cast.project.id, pipeline.id)).content.decode()

    assert "New pipeline" not in listing
    assert f"Run #{run.id}" in html
    for button in [">Run now</button>", ">Pause</button>", ">Edit</a>", ">Cancel</button>"]:
        assert button not in html


def test_a_viewer_sees_no_approve_button(client, cast, run):
    PipelineRun.objects.filter(pk=run.pk).update(status=RunStatus.AWAITING_APPROVAL)
    client.force_login(cast.viewer)

    html = client.get(address("pipeline_detail", cast.project.id, run.pipeline_id)).content

    assert b">Approve</button>" not in html


@pytest.mark.parametrize("name", BUTTONS)
def test_a_viewers_press_is_refused_and_changes_nothing(client, cast, pipeline, name):
    before = state(pipeline)
    client.force_login(cast.viewer)

    response = client.post(address(name, cast.project.id, pipeline.id))

    assert response.status_code == 403
    assert state(pipeline) == before


@pytest.mark.parametrize("name", RUN_BUTTONS)
def test_a_viewer_cannot_cancel_or_approve_a_run(client, cast, run, name):
    client.force_login(cast.viewer)

    response = client.post(address(name, cast.project.id, run.pipeline_id, run.id))

    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


def test_a_viewer_cannot_open_or_post_the_forms(client, cast, pipeline):
    client.force_login(cast.viewer)
    create = address("pipeline_create", cast.project.id)
    edit = address("pipeline_edit", cast.project.id, pipeline.id)
    data = form_data(pipeline.champion, name="sneaky")

    statuses = [client.get(create), client.post(create, data), client.get(edit)]
    statuses += [client.post(edit, data)]

    assert [response.status_code for response in statuses] == [403] * 4
    assert list(Pipeline.objects.values_list("name", flat=True)) == ["nightly"]


def test_an_owner_may_press_the_buttons(client, cast, pipeline):
    client.force_login(cast.owner)

    client.post(address("pipeline_run_now", cast.project.id, pipeline.id))

    assert PipelineRun.objects.filter(pipeline=pipeline).count() == 1


# --- Outsiders and other projects' ids -----------------------------------------------


@pytest.mark.parametrize("name", ["pipeline_detail", "pipeline_edit", "pipeline_runs"])
def test_an_outsider_gets_404_for_a_pipeline_of_another_project(
    client, cast, pipeline, their_pipeline, name
):
    client.force_login(cast.outsider)

    direct = client.get(address(name, cast.project.id, pipeline.id))
    through_their_project = client.get(address(name, cast.other_project.id, pipeline.id))

    assert (direct.status_code, through_their_project.status_code) == (404, 404)


@pytest.mark.parametrize("name", BUTTONS)
def test_an_outsiders_press_on_another_projects_pipeline_is_404(
    client, cast, pipeline, their_pipeline, name
):
    before = state(pipeline)
    client.force_login(cast.outsider)

    response = client.post(address(name, cast.other_project.id, pipeline.id))

    assert response.status_code == 404
    assert state(pipeline) == before


@pytest.mark.parametrize("name", RUN_BUTTONS)
def test_a_run_id_of_another_project_is_404_on_cancel_and_approve(
    client, cast, run, their_pipeline, name
):
    client.force_login(cast.outsider)

    through_their_pipeline = address(name, cast.other_project.id, their_pipeline.id, run.id)
    direct = address(name, cast.project.id, run.pipeline_id, run.id)

    assert client.post(through_their_pipeline).status_code == 404
    assert client.post(direct).status_code == 404
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


def test_a_run_of_another_pipeline_is_404_even_inside_the_project(client, cast, pipeline, run):
    other = make_pipeline(pipeline.champion, name="other")
    client.force_login(cast.developer)

    response = client.post(address("run_cancel", cast.project.id, other.id, run.id))

    assert response.status_code == 404
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


# --- Anonymous visitors and methods --------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, pipeline):
    response = client.get(address("pipeline_detail", cast.project.id, pipeline.id))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", BUTTONS)
def test_the_buttons_answer_only_post(client, cast, pipeline, name):
    client.force_login(cast.developer)

    assert client.get(address(name, cast.project.id, pipeline.id)).status_code == 405


def test_a_press_without_the_csrf_token_is_refused(cast, pipeline):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.developer)

    response = client.post(address("pipeline_run_now", cast.project.id, pipeline.id))

    assert response.status_code == 403
    assert not PipelineRun.objects.exists()
