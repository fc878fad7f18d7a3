"""POST /api/v1/models/{id}/evaluate: queue an online evaluation, or say why not (no worker)."""

import pytest

from data.models import AnnotationKind
from evaluation.models import Evaluation
from jobs.models import Job
from tests.errors import error_of
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(cast, dataset):
    """A class model of the project with weights, on the `digits` dataset."""
    model = ModelVersionFactory(project=cast.project, dataset=dataset, name="digits v1")
    ArtifactFactory(model=model, name="weights.npz")
    return model


def evaluate(client, model, **body):
    return client.post(f"/api/v1/models/{model.id}/evaluate", body, format="json")


def test_it_queues_an_evaluate_job_on_the_inference_queue(cast, api_as, trained, dataset):
    response = evaluate(api_as(cast.developer), trained, dataset=dataset.id, subset="test")

    assert response.status_code == 201, response.json()
    body = response.json()
    job = Job.objects.get(pk=body["job"]["id"])
    assert (job.kind, job.status, job.queue) == ("evaluate", "queued", "inference")
    assert (job.model_id, job.project_id) == (trained.id, cast.project.id)
    assert job.parameters == {"evaluation": body["evaluation"]}
    assert body["job"]["name"] == f"evaluate #{job.id}"
    evaluation = Evaluation.objects.get(pk=body["evaluation"])
    assert (evaluation.mode, evaluation.subset, evaluation.dataset_id) == (
        "online",
        "test",
        dataset.id,
    )
    assert evaluation.job_id == job.id


def test_without_a_body_it_evaluates_the_test_subset_of_the_models_dataset(
    cast, api_as, trained, dataset
):
    response = evaluate(api_as(cast.developer), trained)

    assert response.status_code == 201, response.json()
    evaluation = Evaluation.objects.get(pk=response.json()["evaluation"])
    assert (evaluation.dataset_id, evaluation.subset) == (dataset.id, "test")


@pytest.mark.parametrize("subset", ["", None])
def test_an_empty_subset_means_every_item(cast, api_as, trained, subset):
    response = evaluate(api_as(cast.developer), trained, subset=subset)

    assert response.status_code == 201, response.json()
    assert Evaluation.objects.get(pk=response.json()["evaluation"]).subset == ""


def test_an_unknown_subset_answers_400_naming_it(cast, api_as, trained):
    response = evaluate(api_as(cast.developer), trained, subset="holdout")

    assert response.status_code == 400
    assert "subset" in error_of(response)["fields"]
    assert not Job.objects.exists()


def test_a_model_without_artifacts_is_refused_saying_train_it_first(cast, api_as, dataset):
    model = ModelVersionFactory(project=cast.project, dataset=dataset)

    response = evaluate(api_as(cast.developer), model)

    assert response.status_code == 400
    assert "train it first" in str(error_of(response))
    assert not Job.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_dataset_of_the_other_kind_is_refused(cast, api_as, trained, box_dataset):
    response = evaluate(api_as(cast.developer), trained, dataset=box_dataset.id)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]
    assert not Evaluation.objects.exists()


def test_a_model_without_a_dataset_needs_one_in_the_body(cast, api_as):
    model = ModelVersionFactory(project=cast.project, dataset=None)
    ArtifactFactory(model=model)

    response = evaluate(api_as(cast.developer), model)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]


def test_a_dataset_of_another_project_of_the_caller_is_refused(cast, api_as, trained):
    elsewhere = DatasetFactory(project=cast.other_project)
    LabelFactory(dataset=elsewhere, name="zero")

    response = evaluate(api_as(cast.owner), trained, dataset=elsewhere.id)

    # The owner of Acme is not in Other: the dataset is invisible to them.
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_a_visible_dataset_of_another_project_answers_400(cast, api_as, trained):
    from registry.models import Membership, Role

    elsewhere = DatasetFactory(project=cast.other_project)
    Membership.objects.create(project=cast.other_project, user=cast.developer, role=Role.VIEWER)

    response = evaluate(api_as(cast.developer), trained, dataset=elsewhere.id)

    assert response.status_code == 400
    assert "project" in error_of(response)["message"] + str(error_of(response)["fields"])


def test_an_adapter_the_workers_cannot_import_answers_409(cast, api_as, dataset):
    package = PackageFactory(check_status="failed", check_message="no module named x")
    model = ModelVersionFactory(project=cast.project, package=package, dataset=dataset)
    ArtifactFactory(model=model)

    response = evaluate(api_as(cast.developer), model)

    assert response.status_code == 409
    assert "no module named x" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("role", "expected"), [("viewer", 403), ("annotator", 403), ("outsider", 404)]
)
def test_only_developers_of_the_project_may_evaluate(cast, api_as, trained, role, expected):
    response = evaluate(api_as(cast.user(role)), trained)

    assert response.status_code == expected
    assert not Job.objects.exists()


def test_a_box_model_evaluates_on_a_box_dataset(cast, api_as, box_dataset):
    package = PackageFactory(output_type="box", adapter="worker.adapters.shapes_detector:X")
    model = ModelVersionFactory(project=cast.project, package=package, dataset=box_dataset)
    ArtifactFactory(model=model)

    response = evaluate(api_as(cast.developer), model, subset="validation")

    assert response.status_code == 201, response.json()
    evaluation = Evaluation.objects.get(pk=response.json()["evaluation"])
    assert (evaluation.kind, evaluation.subset) == (AnnotationKind.BOX, "validation")
