"""A model's queue: its trainings go there, and the pages warn when no worker listens."""

import pytest
from django.utils import timezone

from jobs.models import Job, WorkerHeartbeat
from jobs.selectors import queue_listeners
from tests.factories import DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gpu_model(cast):
    return ModelVersionFactory(
        project=cast.project, dataset=DatasetFactory(project=cast.project), queue="gpu"
    )


def listening(hostname: str, *queues: str, seconds_ago: float = 0) -> None:
    seen = timezone.now() - timezone.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(hostname=hostname, seen_at=seen, queues=list(queues))


def model_page(cast, model, path: str = "") -> str:
    return f"/projects/{cast.project.id}/models/{model.id}/{path}"


def test_a_training_goes_to_the_models_queue(client, cast, gpu_model):
    client.force_login(cast.developer)

    client.post(model_page(cast, gpu_model, "train/"))

    assert Job.objects.get(model=gpu_model).queue == "gpu"


def test_the_page_and_the_api_warn_when_no_worker_listens_on_the_queue(client, cast, gpu_model):
    listening("main@box", "default", "training")
    client.force_login(cast.developer)

    page = client.get(model_page(cast, gpu_model)).content.decode()
    answer = client.post(f"/api/v1/models/{gpu_model.id}/train", content_type="application/json")

    assert "No running worker listens on the queue &#x27;gpu&#x27;" in page
    assert "--queues gpu" in page
    assert answer.status_code == 201
    assert "No running worker listens on the queue 'gpu'" in answer.json()["warning"]


def test_a_worker_on_the_queue_silences_the_warning(client, cast, gpu_model):
    listening("gpu@box", "gpu")
    client.force_login(cast.developer)

    page = client.get(model_page(cast, gpu_model)).content.decode()
    answer = client.post(f"/api/v1/models/{gpu_model.id}/train", content_type="application/json")

    assert "No running worker listens" not in page
    assert answer.json()["warning"] is None


def test_a_worker_silent_for_three_beats_no_longer_counts(settings):
    settings.WORKER_PRESENCE_SECONDS = 10
    listening("gone@box", "gpu", seconds_ago=31)
    listening("here@box", "gpu", seconds_ago=5)

    assert queue_listeners("gpu") == ["here@box"]


def test_a_queue_name_with_a_space_is_refused_naming_the_field(client, cast, gpu_model):
    client.force_login(cast.developer)

    answer = client.patch(
        f"/api/v1/models/{gpu_model.id}", {"queue": "g pu"}, content_type="application/json"
    )

    assert answer.status_code == 400
    assert "queue" in answer.json()["error"]["fields"]
