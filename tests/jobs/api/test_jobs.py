"""/api/v1/models/{id}/train and /api/v1/jobs: queue, read, cancel (no worker needed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job, JobStatus
from registry.models import ModelStatus
from tests.errors import error_of
from tests.factories import (
    DatasetFactory,
    MembershipFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = pytest.mark.django_db


def train(client, model, **body):
    return client.post(f"/api/v1/models/{model.id}/train", body, format="json")


@pytest.fixture
def model(cast):
    return ModelVersionFactory(project=cast.project, dataset=DatasetFactory(project=cast.project))


def test_train_queues_a_job_and_the_model_follows(cast, api_as, model):
    response = api_as(cast.developer).post(f"/api/v1/models/{model.id}/train")

    assert response.status_code == 201
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.status, job.queue) == ("train", "queued", "training")
    assert response.json()["name"] == f"train #{job.id}"
    model.refresh_from_db()
    assert model.status == ModelStatus.QUEUED


def test_a_second_train_while_one_is_queued_answers_409(cast, api_as, model):
    client = api_as(cast.developer)
    client.post(f"/api/v1/models/{model.id}/train")

    response = client.post(f"/api/v1/models/{model.id}/train")

    assert response.status_code == 409
    assert "already queued" in response.json()["error"]["message"]
    assert Job.objects.filter(model=model).count() == 1


def test_train_without_a_dataset_answers_400_naming_it_and_saying_how_to_give_one(cast, api_as):
    model = ModelVersionFactory(project=cast.project, dataset=None, name="my-model")

    response = api_as(cast.developer).post(f"/api/v1/models/{model.id}/train")

    assert response.status_code == 400
    error = error_of(response)
    assert error["fields"]["dataset"] == (
        "Model 'my-model' has no dataset: pass train(dataset=...) or clone(..., dataset=...) "
        '(in the API, {"dataset": <id>} in the body), or choose one on the model\'s page (Edit).'
    )
    assert error["message"] == f"dataset: {error['fields']['dataset']}"
    assert not Job.objects.exists()


def test_train_on_a_dataset_makes_it_the_models_and_queues_the_training(cast, api_as, dataset):
    model = ModelVersionFactory(project=cast.project, dataset=None, labels=["7", "8"])

    response = train(api_as(cast.developer), model, dataset=str(dataset.id))

    assert response.status_code == 201, response.json()
    model.refresh_from_db()
    assert (model.dataset, model.status) == (dataset, ModelStatus.QUEUED)
    # The model's labels left the dataset's out: they are the dataset's now.
    assert model.labels == ["zero", "one"]
    assert Job.objects.get(pk=response.json()["id"]).model == model


def test_train_on_a_dataset_whose_labels_the_model_has_keeps_the_models_labels(
    cast, api_as, dataset
):
    labels = ["two", "one", "zero"]
    model = ModelVersionFactory(project=cast.project, dataset=None, labels=labels)

    response = train(api_as(cast.developer), model, dataset=dataset.id)

    assert response.status_code == 201, response.json()
    model.refresh_from_db()
    assert (model.dataset, model.labels) == (dataset, labels)


def test_train_on_the_models_own_dataset_keeps_its_labels(cast, api_as, dataset):
    model = ModelVersionFactory(project=cast.project, dataset=dataset, labels=["one"])

    response = train(api_as(cast.developer), model, dataset=dataset.id)

    assert response.status_code == 201, response.json()
    model.refresh_from_db()
    assert model.labels == ["one"]


def test_train_on_a_dataset_of_another_project_of_the_caller_answers_400(
    cast, api_as, model, other_dataset
):
    MembershipFactory(project=cast.other_project, user=cast.developer, role="developer")
    before = model.dataset

    response = train(api_as(cast.developer), model, dataset=other_dataset.id)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]
    model.refresh_from_db()
    assert model.dataset == before
    assert not Job.objects.exists()


def test_train_on_a_dataset_the_caller_cannot_see_answers_404_naming_it(
    cast, api_as, model, other_dataset
):
    response = train(api_as(cast.developer), model, dataset=other_dataset.id)

    assert response.status_code == 404
    assert "dataset" in error_of(response)["fields"]
    assert not Job.objects.exists()


def test_a_refused_train_on_a_dataset_leaves_the_models_dataset_as_it_was(cast, api_as, model):
    client = api_as(cast.developer)
    before = model.dataset
    client.post(f"/api/v1/models/{model.id}/train")
    other = DatasetFactory(project=cast.project, name="other")

    response = train(client, model, dataset=other.id)

    assert response.status_code == 409
    model.refresh_from_db()
    assert model.dataset == before


def test_train_is_refused_when_the_workers_cannot_import_the_adapter(cast, api_as):
    package = PackageFactory(check_status="failed", check_message="no module named x")
    model = ModelVersionFactory(
        project=cast.project, package=package, dataset=DatasetFactory(project=cast.project)
    )

    response = api_as(cast.developer).post(f"/api/v1/models/{model.id}/train")

    assert response.status_code == 409
    assert "no module named x" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("role", "expected"), [("viewer", 403), ("annotator", 403), ("outsider", 404)]
)
def test_only_developers_of_the_project_may_train(cast, api_as, model, role, expected):
    response = api_as(cast.user(role)).post(f"/api/v1/models/{model.id}/train")

    assert response.status_code == expected
    assert not Job.objects.exists()


def test_a_public_model_cannot_be_trained(cast, api_as):
    public = ModelVersionFactory(project=None)

    response = api_as(cast.developer).post(f"/api/v1/models/{public.id}/train")

    assert response.status_code == 403


def test_a_member_reads_a_job_with_its_progress_and_error(cast, api_as, model):
    job = Job.objects.create(
        project=cast.project,
        model=model,
        kind="train",
        status="failed",
        progress=40,
        error="Traceback ...\nValueError: bad",
        message="epoch 4 of 10",
    )

    body = api_as(cast.viewer).get(f"/api/v1/jobs/{job.id}").json()

    assert (body["status"], body["progress"], body["message"]) == ("failed", 40, "epoch 4 of 10")
    assert body["error"].endswith("ValueError: bad")


def test_a_predict_job_tells_which_items_failed_and_why(cast, api_as, model):
    failures = [{"item": 7, "name": "img_7.png", "error": "ValueError: blue"}]
    job = Job.objects.create(
        project=cast.project,
        model=model,
        kind="predict",
        status="succeeded",
        parameters={"items": [7, 8], "stored": 1, "failed": 1, "failures": failures},
    )

    body = api_as(cast.viewer).get(f"/api/v1/jobs/{job.id}").json()

    assert body["outcome"] == {"stored": 1, "failed": 1, "failures": failures}


def test_jobs_of_another_project_answer_404(cast, api_as, model):
    job = Job.objects.create(project=cast.project, model=model, kind="train")

    response = api_as(cast.outsider).get(f"/api/v1/jobs/{job.id}")

    assert response.status_code == 404


def test_the_job_list_filters_by_model_and_status(cast, api_as, model):
    other = ModelVersionFactory(project=cast.project)
    Job.objects.create(project=cast.project, model=model, kind="train", status="succeeded")
    Job.objects.create(project=cast.project, model=other, kind="train", status="failed")

    body = api_as(cast.viewer).get(f"/api/v1/jobs?model={model.id}&status=succeeded").json()

    assert [row["model"] for row in body["results"]] == [model.id]


def test_cancelling_a_queued_job_ends_it_and_restores_the_model(cast, api_as, model):
    client = api_as(cast.developer)
    job_id = client.post(f"/api/v1/models/{model.id}/train").json()["id"]

    response = client.post(f"/api/v1/jobs/{job_id}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    model.refresh_from_db()
    assert model.status == ModelStatus.CREATED


def test_cancelling_a_running_job_asks_it_to_stop(cast, api_as, model):
    job = Job.objects.create(project=cast.project, model=model, kind="train", status="running")

    body = api_as(cast.developer).post(f"/api/v1/jobs/{job.id}/cancel").json()

    assert (body["status"], body["cancel_requested"]) == ("running", True)


def test_a_viewer_cannot_cancel(cast, api_as, model):
    job = Job.objects.create(project=cast.project, model=model, kind="train")

    response = api_as(cast.viewer).post(f"/api/v1/jobs/{job.id}/cancel")

    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_reading_a_job_whose_heartbeat_went_silent_fails_it(cast, api_as, model, settings):
    settings.JOB_STALE_AFTER_SECONDS = 30
    silent_since = timezone.now() - timedelta(seconds=31)
    job = Job.objects.create(
        project=cast.project,
        model=model,
        kind="train",
        status="running",
        heartbeat_at=silent_since,
        started_at=silent_since,
    )

    body = api_as(cast.viewer).get(f"/api/v1/jobs/{job.id}").json()

    assert body["status"] == "failed"
    assert "stopped answering" in body["error"]


def test_the_job_list_makes_the_same_number_of_queries_for_many_jobs(
    cast, api_as, model, django_assert_max_num_queries
):
    client = api_as(cast.viewer)
    Job.objects.create(project=cast.project, model=model, kind="train")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/jobs")
    for _ in range(20):
        Job.objects.create(project=cast.project, model=model, kind="train", status="failed")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/jobs")


def test_cancelling_a_queued_evaluation_job_fails_its_evaluation(cast, api_as, model):
    from evaluation.models import Evaluation

    job = Job.objects.create(project=cast.project, model=model, kind="evaluate")
    evaluation = Evaluation.objects.create(
        project=cast.project,
        model=model,
        dataset=model.dataset,
        name="e",
        kind="class",
        mode="offline",
        status="queued",
        job=job,
    )

    api_as(cast.developer).post(f"/api/v1/jobs/{job.id}/cancel")

    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.error) == ("failed", "The job was cancelled.")
    model.refresh_from_db()
    assert model.status == ModelStatus.CREATED
