"""Deploy digits-mlp, tick items in the grid, Predict with…, and watch labels land on them."""

import pytest

from data.models import Annotation, Item
from serving.models import Deployment, DeploymentState
from tests.browsers import sign_in
from tests.factories import UserFactory
from tests.worker.test_evaluate_digits import trained_digits_model
from tests.workers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def digits(transactional_db):
    return trained_digits_model(UserFactory(username="lead"))


def test_selecting_items_and_predicting_shows_labels_on_the_thumbnails(
    page, digits, celery_worker_process
):
    _, log = celery_worker_process
    project = digits.project
    sign_in(page, "lead")

    page.goto(f"/projects/{project.id}/models/{digits.id}/")
    page.get_by_role("button", name="Deploy").click()
    page.get_by_role("button", name="Undeploy").wait_for()
    wait_for(
        lambda: Deployment.objects.filter(model=digits, state=DeploymentState.READY).exists(),
        log=log,
    )

    page.goto(f"/projects/{project.id}/datasets/{digits.dataset_id}/?subset=test&per_page=12")
    boxes = page.locator("#thumbs input[name=item]")
    boxes.nth(1).click()
    boxes.nth(4).click(modifiers=["Shift"])
    assert page.locator("#selection-count").inner_text() == "4 selected"
    page.locator("#predict-model").select_option(label=digits.name)
    page.get_by_role("button", name="Predict with…").click()

    page.locator("#predict-job .badge", has_text="succeeded").wait_for(timeout=60_000)
    chips = page.locator(".prediction-layer .prediction-chip")
    chips.first.wait_for()
    assert chips.count() == 4
    assert f"· {digits.name} " in chips.first.inner_text()
    selected = list(Item.objects.filter(dataset=digits.dataset, subset="test").order_by("id")[1:5])
    predicted = Annotation.objects.filter(model=digits).values_list("item_id", flat=True)
    assert sorted(predicted) == [item.id for item in selected]
    first = page.locator(f"#predictions-{selected[0].id} .prediction-chip")
    label = Annotation.objects.get(model=digits, item=selected[0]).label.name
    assert first.inner_text().startswith(f"{label} · {digits.name} 0.")
