"""Resume: a model whose training was interrupted goes on from its last checkpoint."""

import pytest
from django.core.files.base import ContentFile

from jobs.models import Checkpoint, Job, JobKind, JobStatus
from registry.models import ModelStatus
from tests.factories import DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interrupted(cast, media_in_tmp):
    model = ModelVersionFactory(
        project=cast.project,
        name="resnet v1",
        dataset=DatasetFactory(project=cast.project),
        status=ModelStatus.FAILED,
    )
    job = Job.objects.create(
        project=cast.project, model=model, kind=JobKind.TRAIN, status=JobStatus.FAILED
    )
    checkpoint = Checkpoint(job=job, model=model, epoch=4, size=3)
    checkpoint.file.save("epoch_00004.zip", ContentFile(b"zip"), save=True)
    return model, job, checkpoint


def model_page(cast, model, path: str = "") -> str:
    return f"/projects/{cast.project.id}/models/{model.id}/{path}"


def test_the_model_page_offers_to_resume_an_interrupted_training(client, cast, interrupted):
    model, job, _ = interrupted
    client.force_login(cast.developer)

    page = client.get(model_page(cast, model)).content.decode()

    assert "Resume from epoch 4" in page
    assert f"after epoch 4 of job #{job.id}" in page


def test_pressing_resume_queues_a_training_that_starts_from_the_checkpoint(
    client, cast, interrupted
):
    model, _, checkpoint = interrupted
    client.force_login(cast.developer)

    response = client.post(model_page(cast, model, "train/"), {"resume": "1"}, follow=True)

    resumed = Job.objects.filter(model=model, status=JobStatus.QUEUED).get()
    assert resumed.parameters["resumed_from"] == checkpoint.id
    assert f"Training queued as job #{resumed.id}" in response.content.decode()


def test_a_finished_training_offers_no_resume(client, cast, interrupted):
    model, job, _ = interrupted
    Job.objects.create(
        project=cast.project, model=model, kind=JobKind.TRAIN, status=JobStatus.SUCCEEDED
    )
    client.force_login(cast.developer)

    assert "Resume from epoch" not in client.get(model_page(cast, model)).content.decode()


def test_the_api_refuses_to_resume_a_model_with_nothing_to_resume(client, cast):
    model = ModelVersionFactory(project=cast.project, dataset=DatasetFactory(project=cast.project))
    client.force_login(cast.developer)

    response = client.post(
        f"/api/v1/models/{model.id}/train", {"resume": True}, content_type="application/json"
    )

    assert response.status_code == 409
    assert "no interrupted training with a checkpoint" in response.json()["error"]["message"]
