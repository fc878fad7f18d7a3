"""The model page's Evaluation card: the Evaluate form, its refusals, and the evaluations table."""

import pytest

from data.models import AnnotationKind
from evaluation.models import Evaluation
from jobs.models import Job, JobStatus
from tests.factories import ArtifactFactory, DatasetFactory, LabelFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    return DatasetFactory(project=cast.project, name="digits")


@pytest.fixture
def model(cast, dataset):
    model = ModelVersionFactory(project=cast.project, name="digits v1", dataset=dataset)
    ArtifactFactory(model=model, name="weights.npz")
    return model


def page(project, path: str = "") -> str:
    return f"/projects/{project.id}/{path}"


def test_a_developer_presses_evaluate_and_an_evaluate_job_is_queued(client, cast, model, dataset):
    client.force_login(cast.developer)

    response = client.post(
        page(cast.project, f"models/{model.id}/evaluate/"),
        {"dataset": dataset.id, "subset": "test"},
        follow=True,
    )

    job = Job.objects.get(model=model, kind="evaluate")
    assert (job.status, job.queue) == (JobStatus.QUEUED, "inference")
    assert f"Evaluation queued as job #{job.id}".encode() in response.content
    assert f'id="job-progress-{job.id}"'.encode() in response.content
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert (evaluation.subset, evaluation.mode) == ("test", "online")
    assert f'data-evaluation="{evaluation.id}"'.encode() in response.content
    assert b'class="badge evaluation-created"' in response.content
    assert b">queued</span>" in response.content


def test_every_item_is_an_empty_subset(client, cast, model, dataset):
    client.force_login(cast.developer)

    client.post(
        page(cast.project, f"models/{model.id}/evaluate/"), {"dataset": dataset.id, "subset": ""}
    )

    assert Evaluation.objects.get(model=model).subset == ""


def test_the_form_offers_the_projects_datasets_of_the_right_kind_and_the_test_subset(
    client, cast, model, dataset
):
    DatasetFactory(project=cast.project, name="boxes", annotation_kind=AnnotationKind.BOX)
    DatasetFactory(project=cast.other_project, name="theirs")
    client.force_login(cast.developer)

    content = client.get(page(cast.project, f"models/{model.id}/")).content.decode()

    assert ">Evaluate</button>" in content
    assert f'<option value="{dataset.id}" selected>digits</option>' in content
    assert ">boxes<" not in content
    assert ">theirs<" not in content
    assert '<option value="test" selected>Test</option>' in content
    assert '<option value="" >Every item</option>' in content


def test_a_viewer_sees_no_evaluate_button_and_cannot_post_it(client, cast, model, dataset):
    client.force_login(cast.viewer)

    detail = client.get(page(cast.project, f"models/{model.id}/"))
    response = client.post(
        page(cast.project, f"models/{model.id}/evaluate/"), {"dataset": dataset.id}
    )

    assert b'id="evaluation"' in detail.content
    assert b">Evaluate</button>" not in detail.content
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_an_outsider_gets_404(client, cast, model, dataset):
    client.force_login(cast.outsider)

    response = client.post(
        page(cast.project, f"models/{model.id}/evaluate/"), {"dataset": dataset.id}
    )

    assert response.status_code == 404


def test_a_model_without_weights_is_refused_with_a_message(client, cast, dataset):
    untrained = ModelVersionFactory(project=cast.project, dataset=dataset)
    client.force_login(cast.developer)

    response = client.post(
        page(cast.project, f"models/{untrained.id}/evaluate/"),
        {"dataset": dataset.id, "subset": "test"},
        follow=True,
    )

    assert b"train it first" in response.content
    assert not Job.objects.exists()


def test_the_table_shows_the_headline_metric_and_links_each_evaluation(client, cast, model):
    job = Job.objects.create(project=cast.project, model=model, kind="evaluate", status="succeeded")
    done = Evaluation.objects.create(
        project=cast.project,
        model=model,
        dataset=model.dataset,
        subset="test",
        name="test run",
        kind="class",
        mode="online",
        status="succeeded",
        summary={"accuracy": 0.9531},
        job=job,
    )
    client.force_login(cast.viewer)

    content = client.get(page(cast.project, f"models/{model.id}/")).content.decode()

    assert "test run" in content
    assert "0.953" in content
    # The review page once it exists, else the job's page.
    review = f"/projects/{cast.project.id}/evaluations/{done.id}"
    assert review in content or f"/projects/{cast.project.id}/jobs/{job.id}/" in content


@pytest.fixture
def pretrained():
    """A public version with weights (no dataset: public versions have none)."""
    public = ModelVersionFactory(project=None, name="pretrained", labels=["zero", "one"])
    ArtifactFactory(model=public, name="weights.npz")
    return public


def evaluated_elsewhere(model, project, name: str) -> Evaluation:
    dataset = DatasetFactory(project=project, name=f"data of {name}")
    return Evaluation.objects.create(
        project=project, model=model, dataset=dataset, name=name, kind="class", mode="online"
    )


def test_a_developer_evaluates_a_public_model_from_its_page_in_the_project(
    client, cast, pretrained, dataset
):
    LabelFactory(dataset=dataset, name="one")
    client.force_login(cast.developer)

    response = client.post(
        page(cast.project, f"models/{pretrained.id}/evaluate/"),
        {"dataset": dataset.id, "subset": "test"},
        follow=True,
    )

    job = Job.objects.get(model=pretrained, kind="evaluate")
    assert f"Evaluation queued as job #{job.id}".encode() in response.content
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert (evaluation.project, job.project) == (cast.project, cast.project)
    assert f'data-evaluation="{evaluation.id}"'.encode() in response.content


def test_the_public_model_page_lists_only_the_projects_evaluations_of_it(client, cast, pretrained):
    ours = evaluated_elsewhere(pretrained, cast.project, "ours")
    theirs = evaluated_elsewhere(pretrained, cast.other_project, "theirs")
    client.force_login(cast.viewer)

    content = client.get(page(cast.project, f"models/{pretrained.id}/")).content.decode()

    assert 'id="evaluation"' in content
    assert f'data-evaluation="{ours.id}"' in content
    assert f'data-evaluation="{theirs.id}"' not in content
    assert ">Evaluate</button>" not in content  # a viewer


def test_the_public_model_pages_evaluate_form_offers_the_projects_datasets(
    client, cast, pretrained, dataset
):
    DatasetFactory(project=cast.other_project, name="theirs")
    client.force_login(cast.developer)

    content = client.get(page(cast.project, f"models/{pretrained.id}/")).content.decode()

    assert ">Evaluate</button>" in content
    assert f'<option value="{dataset.id}" >digits</option>' in content
    assert ">theirs<" not in content


def test_a_public_model_with_no_label_in_common_is_refused_with_the_labels_named(
    client, cast, pretrained, dataset
):
    LabelFactory(dataset=dataset, name="bolt")
    client.force_login(cast.developer)

    response = client.post(
        page(cast.project, f"models/{pretrained.id}/evaluate/"),
        {"dataset": dataset.id, "subset": "test"},
        follow=True,
    )

    assert b"no label in common" in response.content
    assert b"the model&#x27;s are zero, one; the dataset&#x27;s are bolt." in response.content
    assert not Job.objects.exists()
