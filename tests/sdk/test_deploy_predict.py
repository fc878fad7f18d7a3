"""model.deploy(), model.predict(items=...), model.predict(image=...) against a live server
and a real worker."""

import time

import modelyard
import pytest

from data.models import Annotation, Item
from registry.services.tokens import token_create
from tests.factories import UserFactory
from tests.worker.test_evaluate_digits import trained_digits_model

pytestmark = pytest.mark.worker


def ready(model) -> bool:
    return model.deployments()[0]["state"] != "starting"


def test_deploy_predict_and_undeploy_through_the_sdk(
    live_server, transactional_db, celery_worker_process, tmp_path
):
    digits = trained_digits_model(UserFactory())
    token = token_create(user=digits.created_by, name="sdk")[1]
    yard = modelyard.Client(live_server.url, token, retries=0)
    model = yard.models.get(model_id=digits.id)

    with pytest.raises(modelyard.errors.Conflict, match="not deployed"):
        model.predict(items=[1])
    deployment = model.deploy()
    assert deployment["state"] == "starting"
    deadline = time.monotonic() + 60
    while not ready(model) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert model.deployments()[0]["state"] == "ready"

    items = list(Item.objects.filter(dataset=digits.dataset, subset="test").order_by("id")[:20])
    job = model.predict(items=[item.id for item in items]).wait(timeout=60, progress=False)
    assert job.status == "succeeded"
    assert Annotation.objects.filter(model=digits).count() == 20

    path = tmp_path / items[0].name
    path.write_bytes(items[0].file.read())
    [prediction] = model.predict(image=path)
    assert set(prediction) == {"label", "confidence", "box", "scores"}
    assert sorted(prediction["scores"], key=int) == [str(digit) for digit in range(10)]
    assert prediction["scores"][prediction["label"]] == pytest.approx(prediction["confidence"])

    assert model.undeploy()["state"] == "stopped"
    with pytest.raises(modelyard.errors.Conflict, match="undeployed"):
        model.predict(image=path)
