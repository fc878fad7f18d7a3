"""Who may press Predict: developers and owners, annotators when the owner allows it,
never viewers; and only owners change that setting."""

import pytest

from jobs.models import Job
from serving.models import Deployment, DeploymentState
from tests.factories import DatasetFactory, ItemFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    return DatasetFactory(project=cast.project, name="digits")


@pytest.fixture
def item(dataset):
    return ItemFactory(dataset=dataset)


@pytest.fixture
def live_model(cast):
    model = ModelVersionFactory(project=cast.project, name="digits v1")
    Deployment.objects.create(project=cast.project, model=model, state=DeploymentState.READY)
    return model


def grid(dataset, path: str = "") -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/{path}"


def press_predict(client, dataset, item, model):
    return client.post(grid(dataset, "items/predict/"), {"model": model.id, "item": item.id})


@pytest.mark.parametrize("role", ["owner", "developer"])
def test_developers_and_owners_may_predict(client, cast, dataset, item, live_model, role):
    client.force_login(cast.user(role))

    assert ">Predict with…</button>" in client.get(grid(dataset)).content.decode()
    assert press_predict(client, dataset, item, live_model).status_code == 302
    assert Job.objects.count() == 1


def test_a_viewer_sees_no_predict_and_is_refused(client, cast, dataset, item, live_model):
    cast.project.annotators_can_predict = True
    cast.project.save()
    client.force_login(cast.viewer)

    grid_page = client.get(grid(dataset)).content.decode()
    item_page = client.get(grid(dataset, f"items/{item.id}/")).content.decode()

    assert "Predict with" not in grid_page
    assert "Predict with" not in item_page
    assert press_predict(client, dataset, item, live_model).status_code == 403
    assert client.post(grid(dataset, f"items/{item.id}/predict/")).status_code == 403
    assert not Job.objects.exists()


def test_an_annotator_may_not_predict_unless_the_owner_allows_it(
    client, cast, dataset, item, live_model
):
    client.force_login(cast.annotator)

    assert "Predict with" not in client.get(grid(dataset)).content.decode()
    assert press_predict(client, dataset, item, live_model).status_code == 403

    cast.project.annotators_can_predict = True
    cast.project.save()

    assert ">Predict with…</button>" in client.get(grid(dataset)).content.decode()
    item_page = client.get(grid(dataset, f"items/{item.id}/")).content.decode()
    assert ">Predict with digits v1</button>" in item_page
    assert press_predict(client, dataset, item, live_model).status_code == 302
    assert Job.objects.get().created_by == cast.annotator


def test_an_outsider_gets_404(client, cast, dataset, item, live_model):
    client.force_login(cast.outsider)

    assert press_predict(client, dataset, item, live_model).status_code == 404
    assert client.post(grid(dataset, f"items/{item.id}/predict/")).status_code == 404


def test_a_model_of_another_project_cannot_be_used(client, cast, dataset, item):
    theirs = ModelVersionFactory(project=cast.other_project, name="theirs")
    Deployment.objects.create(project=cast.other_project, model=theirs, state="ready")
    client.force_login(cast.owner)

    response = press_predict(client, dataset, item, theirs)

    assert response.status_code == 302
    assert not Job.objects.exists()


def test_the_owner_turns_the_setting_on_and_off_on_the_members_page(client, cast):
    client.force_login(cast.owner)
    setting = f"/projects/{cast.project.id}/settings/predictions/"

    page = client.get(f"/projects/{cast.project.id}/members/").content.decode()
    on = client.post(setting, {"annotators_can_predict": "on"}, follow=True)
    cast.project.refresh_from_db()
    allowed = cast.project.annotators_can_predict
    client.post(setting, {})
    cast.project.refresh_from_db()

    assert "Annotators may run predictions with deployed models" in page
    assert allowed is True
    assert "Annotators may now run predictions with deployed models." in on.content.decode()
    assert cast.project.annotators_can_predict is False


@pytest.mark.parametrize("role", ["developer", "annotator", "viewer"])
def test_only_the_owner_changes_the_setting(client, cast, role):
    client.force_login(cast.user(role))

    page = client.get(f"/projects/{cast.project.id}/members/").content.decode()
    response = client.post(
        f"/projects/{cast.project.id}/settings/predictions/", {"annotators_can_predict": "on"}
    )

    cast.project.refresh_from_db()
    assert "Annotators may run predictions" not in page
    assert response.status_code == 403
    assert cast.project.annotators_can_predict is False
