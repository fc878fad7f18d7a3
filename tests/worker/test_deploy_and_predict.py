"""digits-mlp deployed and predicting in a real inference worker, through the API."""

import os
import signal
import time

import pytest
from rest_framework.test import APIClient

from data.models import Annotation, Item
from evaluation.models import EvalPrediction
from evaluation.services import model_evaluate
from jobs.models import JobStatus
from registry.models import ModelStatus
from serving import services as deployment_services
from serving.models import Deployment, DeploymentState
from tests.factories import UserFactory
from tests.worker.test_evaluate_digits import finished, trained_digits_model
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def digits(transactional_db):
    return trained_digits_model(UserFactory())


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def deploy_and_wait(client, model, log):
    response = client.post(f"/api/v1/models/{model.id}/deploy", format="json")
    assert response.status_code == 202, response.json()
    deployment = Deployment.objects.get(pk=response.json()["id"])
    wait_for(lambda: _state(deployment) != DeploymentState.STARTING, timeout=60, log=log)
    assert deployment.state == DeploymentState.READY, deployment.error
    return deployment


def predict_and_wait(client, model, ids, log):
    response = client.post(f"/api/v1/models/{model.id}/predict", {"items": ids}, format="json")
    assert response.status_code == 202, response.json()
    from jobs.models import Job

    job = Job.objects.get(pk=response.json()["id"])
    wait_for(lambda: finished(job), timeout=120, log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def _state(deployment) -> str:
    deployment.refresh_from_db()
    return deployment.state


def accuracy(rows: dict[int, str], truth: dict[int, str]) -> float:
    return sum(rows[item] == truth[item] for item in truth) / len(truth)


def test_predictions_match_the_evaluation_and_a_rerun_replaces_only_them(
    digits, celery_worker_process
):
    _, log = celery_worker_process
    client = api(digits.created_by)
    test_items = list(Item.objects.filter(dataset=digits.dataset, subset="test").order_by("id"))
    ids = [item.id for item in test_items[:100]]
    truth = dict(
        Annotation.objects.filter(item_id__in=ids, model__isnull=True).values_list(
            "item_id", "label__name"
        )
    )
    evaluation_job = model_evaluate(model=digits, subset="test", user=digits.created_by)
    wait_for(lambda: finished(evaluation_job), timeout=120, log=log)
    evaluated = dict(
        EvalPrediction.objects.filter(
            evaluation_id=evaluation_job.parameters["evaluation"], item_id__in=ids
        ).values_list("item_id", "label__name")
    )

    deploy_and_wait(client, digits, log)
    first = predict_and_wait(client, digits, ids, log)

    predictions = Annotation.objects.filter(model=digits, item_id__in=ids)
    assert predictions.count() == 100
    assert all(0 < c <= 1 for c in predictions.values_list("confidence", flat=True))
    predicted = dict(predictions.values_list("item_id", "label__name"))
    shown = accuracy(predicted, truth), accuracy(evaluated, truth)
    print(f"\nAPI predictions {shown[0]:.3f}, evaluation {shown[1]:.3f}")
    assert predicted == evaluated
    assert accuracy(predicted, truth) == accuracy(evaluated, truth) >= 0.85
    assert first.parameters["stored"] == 100
    assert first.parameters["failed"] == 0
    assert first.parameters["warm"] is True  # the deploy's warm-up loaded it

    # Another model's prediction and the ground truth survive a second run.
    other = Annotation.objects.create(
        item_id=ids[0],
        label=predictions.first().label,
        kind="class",
        model=_another_model(digits),
        confidence=0.3,
    )
    old = set(predictions.values_list("id", flat=True))
    second = predict_and_wait(client, digits, ids[:10], log)

    assert second.parameters["warm"] is True
    assert "loads here: 1" in second.log  # loaded once in this worker process, by the deploy
    renewed = set(
        Annotation.objects.filter(model=digits, item_id__in=ids[:10]).values_list("id", flat=True)
    )
    assert len(renewed) == 10
    assert not renewed & old
    assert Annotation.objects.filter(model=digits, item_id__in=ids[10:]).count() == 90
    assert Annotation.objects.filter(pk=other.pk).exists()
    assert Annotation.objects.filter(item_id__in=ids, model__isnull=True).count() == len(truth)


def _another_model(model):
    from registry.services.models import model_clone

    return model_clone(source=model, name="other", user=model.created_by, project=model.project)


def test_undeploy_then_predict_is_refused_and_the_model_is_free(digits, celery_worker_process):
    _, log = celery_worker_process
    client = api(digits.created_by)
    deploy_and_wait(client, digits, log)

    assert client.post(f"/api/v1/models/{digits.id}/undeploy").status_code == 200
    response = client.post(f"/api/v1/models/{digits.id}/predict", {"items": [1]}, format="json")

    assert response.status_code == 409
    digits.refresh_from_db()
    assert digits.status == ModelStatus.PRE_TRAINED


def test_a_deployment_whose_worker_is_killed_fails(digits, tmp_path, media_in_tmp, settings):
    from tests.workers import _purge_queues

    _purge_queues()
    process, log = start_worker(
        tmp_path / "serving.log", media_in_tmp, extra_env={"JOB_HEARTBEAT_SECONDS": "1"}
    )
    try:
        deployment = deploy_and_wait(api(digits.created_by), digits, log)
        beat = deployment.heartbeat_at
        wait_for(lambda: Deployment.objects.get(pk=deployment.pk).heartbeat_at > beat, 15, log)

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        settings.JOB_STALE_AFTER_SECONDS = 2
        time.sleep(3)
        assert deployment_services.deployments_reap_stale() == [deployment.pk]
    finally:
        stop_worker(process)

    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.FAILED
    assert "stopped answering" in deployment.error
    refused = api(digits.created_by).post(
        f"/api/v1/models/{digits.id}/predict", {"items": [1]}, format="json"
    )
    assert refused.status_code == 409
    assert "deployment failed" in refused.json()["error"]["message"]


def test_a_single_image_is_predicted_by_the_warm_worker(digits, celery_worker_process):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, log = celery_worker_process
    client = api(digits.created_by)
    deploy_and_wait(client, digits, log)
    item = Item.objects.filter(dataset=digits.dataset, subset="test").order_by("id").first()
    truth = Annotation.objects.get(item=item, model__isnull=True).label.name
    upload = SimpleUploadedFile(item.name, item.file.read(), content_type=item.content_type)

    response = client.post(f"/api/v1/models/{digits.id}/predict", {"image": upload})

    assert response.status_code == 200, response.json()
    [prediction] = response.json()["predictions"]
    assert prediction["label"] == truth
    assert 0 < prediction["confidence"] <= 1
    assert prediction["box"] is None
