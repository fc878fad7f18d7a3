"""Deploy and Undeploy on the model page, the deployment history, and the list's live badge."""

import pytest

from serving.models import Deployment, DeploymentState
from tests.factories import ArtifactFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(cast):
    model = ModelVersionFactory(project=cast.project, name="digits v1", status="trained")
    ArtifactFactory(model=model, name="weights.npz")
    return model


def url(model, action: str = "") -> str:
    return f"/projects/{model.project_id}/models/{model.id}/{action}"


def test_a_developer_presses_deploy_and_the_model_starts_serving(client, cast, model):
    client.force_login(cast.developer)

    response = client.post(url(model, "deploy/"), follow=True)

    deployment = Deployment.objects.get(model=model)
    assert deployment.state == DeploymentState.STARTING
    assert deployment.created_by == cast.developer
    content = response.content.decode()
    assert "digits v1 is starting." in content
    assert ">Undeploy</button>" in content
    assert f'hx-get="/projects/{cast.project.id}/models/{model.id}/deployment/"' in content


def test_a_live_model_shows_undeploy_a_live_badge_and_its_history(client, cast, model):
    Deployment.objects.create(
        project=cast.project, model=model, state=DeploymentState.READY, created_by=cast.owner
    )
    client.force_login(cast.developer)

    detail = client.get(url(model)).content.decode()
    listing = client.get(f"/projects/{cast.project.id}/models/").content.decode()

    assert ">Undeploy</button>" in detail
    assert ">Deploy</button>" not in detail
    assert '<span class="badge deployment-state-ready">live</span>' in detail
    assert "<td>owner</td>" in detail
    assert 'title="Deployed: it serves predictions">live</span>' in listing


def test_undeploy_stops_the_deployment_and_records_who(client, cast, model):
    Deployment.objects.create(project=cast.project, model=model, state=DeploymentState.READY)
    client.force_login(cast.owner)

    response = client.post(url(model, "undeploy/"), follow=True)

    deployment = Deployment.objects.get(model=model)
    assert (deployment.state, deployment.stopped_by) == (DeploymentState.STOPPED, cast.owner)
    content = response.content.decode()
    assert "digits v1 undeployed." in content
    assert ">Deploy</button>" in content
    assert '<span class="badge deployment-state-stopped">stopped</span>' in content


def test_a_model_without_weights_is_not_deployed_and_the_page_says_why(client, cast):
    bare = ModelVersionFactory(project=cast.project, name="bare")
    client.force_login(cast.developer)

    response = client.post(url(bare, "deploy/"), follow=True)

    assert not Deployment.objects.exists()
    assert "bare has no weights yet: train it first." in response.content.decode()


def test_the_polled_card_shows_the_state_once_ready(client, cast, model):
    Deployment.objects.create(project=cast.project, model=model, state=DeploymentState.READY)
    client.force_login(cast.viewer)

    content = client.get(url(model, "deployment/")).content.decode()

    assert 'id="deployment"' in content
    assert "hx-trigger" not in content
    assert ">live</span>" in content
    assert "Undeploy" not in content


def test_a_viewer_sees_no_deploy_button_and_cannot_post_it(client, cast, model):
    client.force_login(cast.viewer)

    detail = client.get(url(model)).content.decode()
    response = client.post(url(model, "deploy/"))

    assert ">Deploy</button>" not in detail
    assert response.status_code == 403
    assert not Deployment.objects.exists()


def test_an_annotator_cannot_undeploy(client, cast, model):
    Deployment.objects.create(project=cast.project, model=model, state=DeploymentState.READY)
    client.force_login(cast.annotator)

    assert client.post(url(model, "undeploy/")).status_code == 403
    assert Deployment.objects.get(model=model).state == DeploymentState.READY


def test_an_outsider_gets_404(client, cast, model):
    client.force_login(cast.outsider)

    assert client.post(url(model, "deploy/")).status_code == 404
    assert client.get(url(model, "deployment/")).status_code == 404


def test_a_public_version_has_no_deploy_button_and_cannot_be_deployed(client, cast, public_model):
    client.force_login(cast.developer)

    detail = client.get(url_public(cast, public_model)).content.decode()
    response = client.post(url_public(cast, public_model, "deploy/"))

    assert ">Deploy</button>" not in detail
    assert response.status_code == 404


def url_public(cast, model, action: str = "") -> str:
    return f"/projects/{cast.project.id}/models/{model.id}/{action}"
