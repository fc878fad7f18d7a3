"""Train and Cancel buttons, the jobs list, one job, and the live progress partial."""

import pytest

from jobs.models import Job, JobStatus
from registry.models import ModelStatus
from tests.factories import DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(cast):
    return ModelVersionFactory(
        project=cast.project, name="digits v1", dataset=DatasetFactory(project=cast.project)
    )


def page(project, path: str = "") -> str:
    return f"/projects/{project.id}/{path}"


def test_a_developer_presses_train_and_a_job_is_queued(client, cast, model):
    client.force_login(cast.developer)

    response = client.post(page(cast.project, f"models/{model.id}/train/"), follow=True)

    job = Job.objects.get(model=model)
    assert job.status == JobStatus.QUEUED
    assert f"Training queued as job #{job.id}".encode() in response.content
    assert b'id="job-progress-' in response.content
    assert b'hx-trigger="every 1s"' in response.content


def test_a_viewer_sees_no_train_button_and_cannot_post_it(client, cast, model):
    client.force_login(cast.viewer)

    detail = client.get(page(cast.project, f"models/{model.id}/"))
    response = client.post(page(cast.project, f"models/{model.id}/train/"))

    assert b">Train</button>" not in detail.content
    assert response.status_code == 403
    assert not Job.objects.exists()


NO_DATASET = "Model &#x27;my-model&#x27; has no dataset: choose one with Edit, then train it."


def test_the_train_button_says_why_it_is_disabled_without_a_dataset(client, cast):
    model = ModelVersionFactory(project=cast.project, dataset=None, name="my-model")
    client.force_login(cast.developer)

    response = client.get(page(cast.project, f"models/{model.id}/"))

    content = response.content.decode()
    assert f'<p class="error" id="train-blocker">{NO_DATASET}</p>' in content
    assert 'disabled aria-describedby="train-blocker">Train</button>' in content


def test_a_train_press_without_a_dataset_shows_the_same_words_as_an_error(client, cast):
    model = ModelVersionFactory(project=cast.project, dataset=None, name="my-model")
    client.force_login(cast.developer)

    response = client.post(page(cast.project, f"models/{model.id}/train/"), follow=True)

    assert f'<li class="message error">{NO_DATASET}</li>' in response.content.decode()
    assert not Job.objects.exists()


def test_a_second_train_click_shows_an_error_and_starts_nothing(client, cast, model):
    client.force_login(cast.developer)
    client.post(page(cast.project, f"models/{model.id}/train/"))

    response = client.post(page(cast.project, f"models/{model.id}/train/"), follow=True)

    assert b"already queued" in response.content
    assert Job.objects.filter(model=model).count() == 1


def test_the_progress_partial_polls_while_active_and_reloads_the_page_when_done(
    client, cast, model
):
    job = Job.objects.create(
        project=cast.project,
        model=model,
        kind="train",
        status="running",
        progress=42,
        message="epoch 4 of 10",
    )
    client.force_login(cast.viewer)
    url = page(cast.project, f"jobs/{job.id}/progress/?reload_when_done=1")

    running = client.get(url)
    Job.objects.filter(pk=job.pk).update(status="succeeded", progress=100)
    done = client.get(url)

    assert b'value="42.0"' in running.content
    assert b"epoch 4 of 10" in running.content
    assert "HX-Refresh" not in running
    assert b"every 1s" not in done.content
    assert done["HX-Refresh"] == "true"


def test_the_job_page_shows_the_log_and_the_traceback_escaped(client, cast, model):
    job = Job.objects.create(
        project=cast.project,
        model=model,
        kind="train",
        status="failed",
        log="08:00:00 step 1: loss=0.5\n",
        error="Traceback\nValueError: <script>x</script>",
    )
    client.force_login(cast.viewer)

    response = client.get(page(cast.project, f"jobs/{job.id}/"))

    assert b"step 1: loss=0.5" in response.content
    assert b"ValueError: &lt;script&gt;x&lt;/script&gt;" in response.content


def test_the_jobs_list_filters_by_status_and_refreshes_rows_while_jobs_run(client, cast, model):
    Job.objects.create(project=cast.project, model=model, kind="train", status="running")
    Job.objects.create(project=cast.project, model=model, kind="train", status="failed")
    client.force_login(cast.viewer)

    everything = client.get(page(cast.project, "jobs/"))
    failed = client.get(page(cast.project, "jobs/?status=failed"))

    assert everything.content.count(b"<tr>") == 3  # header + 2 jobs
    assert b'hx-trigger="every 2s"' in everything.content
    assert failed.content.count(b"job-failed") == 1
    assert b'hx-trigger="every 2s"' not in failed.content


def test_the_polled_rows_tell_htmx_to_stop_once_no_job_is_active(client, cast, model):
    job = Job.objects.create(project=cast.project, model=model, kind="train", status="running")
    client.force_login(cast.viewer)
    assert client.get(page(cast.project, "jobs/?rows=1")).status_code == 200

    Job.objects.filter(pk=job.pk).update(status="succeeded")
    rows = client.get(page(cast.project, "jobs/?rows=1"))

    assert rows.status_code == 286  # htmx swaps these rows in, then stops polling
    assert b"job-succeeded" in rows.content


def test_a_developer_cancels_a_queued_job_from_its_page(client, cast, model):
    client.force_login(cast.developer)
    client.post(page(cast.project, f"models/{model.id}/train/"))
    job = Job.objects.get(model=model)

    client.post(page(cast.project, f"jobs/{job.id}/cancel/"))

    job.refresh_from_db()
    model.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert model.status == ModelStatus.CREATED


def test_cancel_goes_back_only_to_pages_of_this_site(client, cast, model):
    job = Job.objects.create(project=cast.project, model=model, kind="train")
    client.force_login(cast.developer)

    response = client.post(
        page(cast.project, f"jobs/{job.id}/cancel/"), {"next": "https://evil.example/"}
    )

    assert response.url == page(cast.project, f"jobs/{job.id}/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 200), ("viewer", 200), ("outsider", 404), ("anonymous", 302)],
)
@pytest.mark.parametrize("path", ["jobs/", "jobs/{job}/", "jobs/{job}/progress/"])
def test_job_pages_are_for_members_only(client, cast, model, role, expected, path):
    job = Job.objects.create(project=cast.project, model=model, kind="train")
    if role != "anonymous":
        client.force_login(cast.user(role))

    response = client.get(page(cast.project, path.format(job=job.id)))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("annotator", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_developers_cancel(client, cast, model, role, expected):
    job = Job.objects.create(project=cast.project, model=model, kind="train")
    client.force_login(cast.user(role))

    response = client.post(page(cast.project, f"jobs/{job.id}/cancel/"))

    job.refresh_from_db()
    assert response.status_code == expected
    assert job.status == JobStatus.QUEUED


@pytest.mark.parametrize(
    ("seconds", "shown"), [(7.74, "7.7 s"), (185, "3 min 05 s"), (7440, "2 h 04 min")]
)
def test_durations_read_as_people_say_them(seconds, shown):
    from datetime import timedelta

    from registry.templatetags.registry_tags import duration

    assert duration(timedelta(seconds=seconds)) == shown
