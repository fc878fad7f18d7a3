"""POST /models/{id}/deploy, /undeploy, /predict; GET /deployments; POST /annotations/accept."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from data.models import Annotation
from jobs.models import Job
from registry.models import ModelStatus
from serving.models import Deployment, DeploymentState
from serving.services import model_deploy
from tests.errors import error_of
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    ModelVersionFactory,
    PackageFactory,
)
from tests.images import png_bytes
from worker import serving

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    serving.clear()


@pytest.fixture
def trained(cast, dataset):
    package = PackageFactory(
        project=cast.project, name="echo", adapter="tests.worker.serving_adapters:EchoAdapter"
    )
    model = ModelVersionFactory(
        project=cast.project, package=package, dataset=dataset, status=ModelStatus.TRAINED
    )
    ArtifactFactory(model=model, name="state.json", file=ContentFile(b"{}", name="state.json"))
    return model


def post(client, model, action, body=None, **kwargs):
    return client.post(f"/api/v1/models/{model.id}/{action}", body or {}, **kwargs)


def test_a_developer_deploys_a_model(api_as, cast, trained):
    response = post(api_as(cast.developer), trained, "deploy", {"concurrency": 2}, format="json")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["state"] == "starting"
    assert body["concurrency"] == 2
    assert body["created_by"] == "developer"
    assert body["queue"] == "inference"
    assert body["artifacts"][0]["name"] == "state.json"
    assert Deployment.objects.get().model == trained


def test_deploying_a_live_model_answers_200_and_the_same_row(api_as, cast, trained):
    first = model_deploy(model=trained, user=cast.owner)

    response = post(api_as(cast.developer), trained, "deploy/")

    assert response.status_code == 200
    assert response.json()["id"] == first.id


@pytest.mark.parametrize("action", ["deploy", "undeploy", "predict"])
def test_viewers_cannot_deploy_or_predict(api_as, cast, trained, item, action):
    response = post(api_as(cast.viewer), trained, action, {"items": [item.id]}, format="json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


@pytest.mark.parametrize("action", ["deploy", "undeploy", "predict"])
def test_outsiders_get_404(api_as, cast, trained, action):
    assert post(api_as(cast.outsider), trained, action).status_code == 404


def test_deploy_without_weights_is_400(api_as, cast, trained):
    trained.artifacts.all().delete()

    response = post(api_as(cast.developer), trained, "deploy")

    assert response.status_code == 400
    assert "no weights" in error_of(response)["fields"]["model"]


def test_undeploy_stops_the_deployment(api_as, cast, trained):
    model_deploy(model=trained, user=cast.owner)

    response = post(api_as(cast.developer), trained, "undeploy")

    assert response.status_code == 200
    assert response.json()["state"] == "stopped"
    assert response.json()["stopped_by"] == "developer"


def test_undeploy_of_a_model_not_deployed_is_409(api_as, cast, trained):
    response = post(api_as(cast.developer), trained, "undeploy")

    assert response.status_code == 409
    assert "not deployed" in error_of(response)["message"]


def test_predict_on_a_model_not_deployed_is_409_naming_the_reason(api_as, cast, trained, item):
    response = post(api_as(cast.developer), trained, "predict", {"items": [item.id]}, format="json")

    assert response.status_code == 409
    assert error_of(response)["message"] == (
        f"{trained.name} is not deployed: deploy it before predicting."
    )


def test_predict_items_answers_202_with_the_job(api_as, cast, trained, item):
    model_deploy(model=trained, user=cast.owner)

    response = post(api_as(cast.developer), trained, "predict", {"items": [item.id]}, format="json")

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "predict"
    assert job.parameters["items"] == [item.id]


def test_annotators_predict_only_when_the_project_allows(api_as, cast, trained, item):
    model_deploy(model=trained, user=cast.owner)
    client = api_as(cast.annotator)
    refused = post(client, trained, "predict", {"items": [item.id]}, format="json")
    cast.project.annotators_can_predict = True
    cast.project.save()

    allowed = post(client, trained, "predict", {"items": [item.id]}, format="json")

    assert refused.status_code == 403
    assert "does not let annotators predict" in error_of(refused)["message"]
    assert allowed.status_code == 202


def test_predict_needs_items_or_an_image(api_as, cast, trained):
    model_deploy(model=trained, user=cast.owner)

    response = post(api_as(cast.developer), trained, "predict", {}, format="json")

    assert response.status_code == 400
    assert "either item ids" in error_of(response)["fields"]["items"]


def test_predict_refuses_items_of_another_project(api_as, cast, trained, other_item):
    model_deploy(model=trained, user=cast.owner)

    response = post(
        api_as(cast.developer), trained, "predict", {"items": [other_item.id]}, format="json"
    )

    assert response.status_code == 400
    assert str(other_item.id) in error_of(response)["fields"]["items"]


def test_predict_refuses_an_image_over_the_size_limit(api_as, cast, trained, settings):
    settings.PREDICT_IMAGE_MAX_BYTES = 100
    model_deploy(model=trained, user=cast.owner)
    image = SimpleUploadedFile("big.png", png_bytes(200, 200), content_type="image/png")

    response = post(api_as(cast.developer), trained, "predict", {"image": image})

    assert response.status_code == 400
    assert "larger than 100 bytes" in error_of(response)["fields"]["image"]


def test_predict_an_image_without_a_worker_times_out_with_504(api_as, cast, trained, settings):
    settings.PREDICT_TIMEOUT_SECONDS = 0.2
    model_deploy(model=trained, user=cast.owner)
    image = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")

    response = post(api_as(cast.developer), trained, "predict", {"image": image})

    assert response.status_code == 504
    assert "inference worker" in error_of(response)["message"]
    assert Job.objects.get().status == "cancelled"


def test_deployments_list_filters_by_model_and_state(api_as, cast, trained, other_model):
    live = model_deploy(model=trained, user=cast.owner)
    Deployment.objects.create(
        project=cast.other_project, model=other_model, state=DeploymentState.READY
    )

    response = api_as(cast.viewer).get(f"/api/v1/deployments?model={trained.id}&live=true")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [live.id]
    hidden = api_as(cast.viewer).get(f"/api/v1/deployments?model={other_model.id}")
    assert hidden.json()["results"] == []


def test_an_annotator_accepts_predictions(api_as, cast, trained, dataset, item):
    label = dataset.labels.first()
    prediction = AnnotationFactory(item=item, label=label, model=trained, confidence=0.8)

    response = api_as(cast.annotator).post(
        "/api/v1/annotations/accept", {"ids": [prediction.id]}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"accepted": 1}
    prediction.refresh_from_db()
    assert prediction.accepted_by == cast.annotator
    assert prediction.model_id is None


def test_viewers_cannot_accept_predictions(api_as, cast, trained, dataset, item):
    prediction = AnnotationFactory(
        item=item, label=dataset.labels.first(), model=trained, confidence=0.8
    )

    response = api_as(cast.viewer).post(
        "/api/v1/annotations/accept", {"ids": [prediction.id]}, format="json"
    )

    assert response.status_code == 403
    assert Annotation.objects.get(pk=prediction.pk).model_id == trained.id


def test_outsiders_cannot_accept_predictions(api_as, cast, trained, dataset, item):
    prediction = AnnotationFactory(
        item=item, label=dataset.labels.first(), model=trained, confidence=0.8
    )

    response = api_as(cast.outsider).post(
        "/api/v1/annotations/accept", {"ids": [prediction.id]}, format="json"
    )

    assert response.status_code == 404


def test_the_schema_lists_the_serving_paths(api_as, cast):
    schema = api_as(cast.viewer).get("/api/schema/?format=json").json()

    for path in ("deploy", "undeploy", "predict"):
        assert f"/api/v1/models/{{id}}/{path}/" in schema["paths"]
    assert "/api/v1/annotations/accept/" in schema["paths"]
    assert "/api/v1/deployments/" in schema["paths"]
