"""Deploy a `resnet` and a `detector` version, Predict with… on items, see labels and boxes.

Both are trained here, in this process, for one short epoch: the test is about the
deployed model answering and the page drawing what it answered, not about quality
(the worker tests measure that).
"""

import pytest

from data.models import Annotation, Item
from registry.models import Role
from serving.models import Deployment, DeploymentState
from tests.browsers import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.worker.image_models import colour_model, square_model
from tests.workers import wait_for
from worker.inline import pretrain

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def trained_here(model):
    MembershipFactory(project=model.project, user=UserFactory(username="lead"), role=Role.OWNER)
    pretrain(model=model, dataset=model.dataset, say=lambda line: None)
    return model


@pytest.fixture
def resnet(transactional_db):
    return trained_here(colour_model(epochs=1))


@pytest.fixture
def detector(transactional_db):
    # A score threshold of 0 keeps every box even after one epoch.
    return trained_here(square_model(train=8, validation=4, epochs=1, score_threshold=0))


def rounded(box) -> tuple:
    return tuple(round(value, 2) for value in box)


def deploy_and_predict(page, model, log, count: int) -> list[Item]:
    """Deploy from the model page, then predict the first `count` validation items."""
    sign_in(page, "lead")
    page.goto(f"/projects/{model.project_id}/models/{model.id}/")
    page.get_by_role("button", name="Deploy").click()
    page.get_by_role("button", name="Undeploy").wait_for()
    wait_for(
        lambda: Deployment.objects.filter(model=model, state=DeploymentState.READY).exists(),
        log=log,
    )
    page.goto(f"/projects/{model.project_id}/datasets/{model.dataset_id}/?subset=validation")
    ticks = page.locator("#thumbs input[name=item]")
    ticks.nth(0).click()
    ticks.nth(count - 1).click(modifiers=["Shift"])
    page.locator("#predict-model").select_option(label=model.name)
    page.get_by_role("button", name="Predict with…").click()
    page.locator("#predict-job .badge", has_text="succeeded").wait_for(timeout=60_000)
    items = Item.objects.filter(dataset=model.dataset, subset="validation").order_by("id")
    return list(items[:count])


def test_a_deployed_resnet_puts_its_label_and_confidence_on_each_thumbnail(
    page, resnet, celery_worker_process
):
    _, log = celery_worker_process

    items = deploy_and_predict(page, resnet, log, count=3)

    chips = page.locator(".prediction-layer .prediction-chip")
    chips.first.wait_for()
    assert chips.count() == 3
    for item in items:
        predicted = Annotation.objects.get(model=resnet, item=item)
        chip = page.locator(f"#predictions-{item.id} .prediction-chip").inner_text()
        assert chip.startswith(f"{predicted.label.name} · {resnet.name} ")
        assert chip.endswith(f"{predicted.confidence:.2f}")


def test_a_deployed_detector_draws_its_boxes_on_each_thumbnail(
    page, detector, celery_worker_process
):
    _, log = celery_worker_process

    items = deploy_and_predict(page, detector, log, count=2)

    for item in items:
        stored = Annotation.objects.filter(model=detector, item=item, kind="box")
        assert stored.exists(), "a threshold of 0 keeps the detector's every box"
        drawn = page.locator(f"#predictions-{item.id} g.prediction rect")
        drawn.first.wait_for(state="attached")
        assert drawn.count() == stored.count()
        rects = drawn.evaluate_all(
            "rects => rects.map(r => ['x', 'y', 'width', 'height'].map(a => +r.getAttribute(a)))"
        )
        expected = [[one.x, one.y, one.w, one.h] for one in stored]
        assert sorted(map(rounded, rects)) == sorted(map(rounded, expected))
        label = page.locator(f"#predictions-{item.id} g.prediction text").first.text_content()
        assert label.startswith(f"square · {detector.name} 0.")
