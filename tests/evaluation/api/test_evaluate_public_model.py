"""A public pretrained model evaluated on a project's dataset (no worker): the evaluation and
its job belong to the dataset's project, and no other project sees them."""

import pytest

from evaluation.models import Evaluation
from jobs.models import Job
from tests.errors import error_of
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    LabelFactory,
    MembershipFactory,
    ModelVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pretrained(public_package):
    """A public version with weights that knows more labels than the `digits` dataset."""
    model = ModelVersionFactory(
        project=None, package=public_package, name="pretrained", labels=["zero", "one", "two"]
    )
    ArtifactFactory(model=model, name="weights.npz")
    return model


def evaluate(client, model, **body):
    return client.post(f"/api/v1/models/{model.id}/evaluate", body, format="json")


def test_a_developer_evaluates_a_public_model_on_a_dataset_of_their_project(
    cast, api_as, pretrained, dataset
):
    response = evaluate(api_as(cast.developer), pretrained, dataset=str(dataset.id))

    assert response.status_code == 201, response.json()
    body = response.json()
    evaluation = Evaluation.objects.get(pk=body["evaluation"])
    assert (evaluation.project, evaluation.model, evaluation.dataset) == (
        cast.project,
        pretrained,
        dataset,
    )
    job = Job.objects.get(pk=body["job"]["id"])
    assert (job.project, job.model, job.kind) == (cast.project, pretrained, "evaluate")
    assert body["job"]["project"] == cast.project.id


def test_the_evaluation_is_listed_in_the_datasets_project_and_nowhere_else(
    cast, api_as, pretrained, dataset
):
    ours = evaluate(api_as(cast.developer), pretrained, dataset=dataset.id).json()
    theirs_dataset = DatasetFactory(project=cast.other_project, name="theirs")
    LabelFactory(dataset=theirs_dataset, name="two")
    theirs = evaluate(api_as(cast.outsider), pretrained, dataset=theirs_dataset.id).json()

    mine = api_as(cast.viewer).get(f"/api/v1/evaluations?model={pretrained.id}").json()
    other = api_as(cast.outsider).get(f"/api/v1/evaluations?model={pretrained.id}").json()

    assert [row["id"] for row in mine["results"]] == [ours["evaluation"]]
    assert [row["id"] for row in other["results"]] == [theirs["evaluation"]]
    assert mine["results"][0]["project"] == cast.project.id
    client = api_as(cast.outsider)
    assert client.get(f"/api/v1/evaluations/{ours['evaluation']}").status_code == 404
    assert client.get(f"/api/v1/jobs/{ours['job']['id']}").status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("viewer", 403), ("annotator", 403)])
def test_evaluating_needs_the_developer_role_in_the_datasets_project(
    cast, api_as, pretrained, dataset, role, expected
):
    response = evaluate(api_as(cast.user(role)), pretrained, dataset=dataset.id)

    assert response.status_code == expected
    assert not Evaluation.objects.exists()
    assert not Job.objects.exists()


def test_a_dataset_of_a_project_the_caller_is_not_in_answers_404_naming_it(
    cast, api_as, pretrained, other_dataset
):
    response = evaluate(api_as(cast.developer), pretrained, dataset=other_dataset.id)

    assert response.status_code == 404
    assert "dataset" in error_of(response)["fields"]
    assert not Evaluation.objects.exists()


def test_a_public_model_needs_a_dataset_in_the_body(cast, api_as, pretrained):
    response = evaluate(api_as(cast.developer), pretrained)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]
    assert not Job.objects.exists()


def test_no_label_in_common_is_refused_before_anything_starts_naming_the_labels(
    cast, api_as, pretrained
):
    parts = DatasetFactory(project=cast.project, name="parts")
    LabelFactory(dataset=parts, name="bolt")
    LabelFactory(dataset=parts, name="nut")

    response = evaluate(api_as(cast.developer), pretrained, dataset=parts.id)

    assert response.status_code == 400
    message = error_of(response)["fields"]["dataset"]
    assert message == (
        "pretrained and parts have no label in common (labels are matched by name): "
        "the model's are zero, one, two; the dataset's are bolt, nut."
    )
    assert not Evaluation.objects.exists()
    assert not Job.objects.exists()


def test_a_projects_own_model_with_no_label_in_common_is_refused_too(cast, api_as, dataset):
    model = ModelVersionFactory(project=cast.project, dataset=dataset, labels=["cat", "dog"])
    ArtifactFactory(model=model)

    response = evaluate(api_as(cast.developer), model)

    assert response.status_code == 400
    assert "no label in common" in error_of(response)["fields"]["dataset"]


def test_a_model_whose_labels_are_unknown_is_not_refused_for_them(cast, api_as, dataset):
    model = ModelVersionFactory(project=cast.project, dataset=None, labels=[])
    ArtifactFactory(model=model)

    response = evaluate(api_as(cast.developer), model, dataset=dataset.id)

    assert response.status_code == 201, response.json()


def test_an_offline_evaluation_of_a_public_model_belongs_to_the_datasets_project(
    cast, api_as, pretrained, dataset
):
    body = {"model": pretrained.id, "dataset": dataset.id, "name": "uploaded"}

    response = api_as(cast.developer).post("/api/v1/evaluations", body, format="json")

    assert response.status_code == 201, response.json()
    assert Evaluation.objects.get(pk=response.json()["id"]).project == cast.project
    finish = api_as(cast.developer).post(f"/api/v1/evaluations/{response.json()['id']}/finish")
    assert Job.objects.get(pk=finish.json()["id"]).project == cast.project


def test_an_offline_evaluation_needs_the_developer_role_in_the_datasets_project(
    cast, api_as, pretrained, dataset
):
    MembershipFactory(project=cast.other_project, user=cast.viewer, role="developer")
    body = {"model": pretrained.id, "dataset": dataset.id}

    response = api_as(cast.viewer).post("/api/v1/evaluations", body, format="json")

    assert response.status_code == 403
    assert not Evaluation.objects.exists()
