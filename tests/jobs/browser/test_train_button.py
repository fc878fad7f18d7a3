"""Press Train in a real Chromium and watch the progress bar move, then finish."""

import pytest

from jobs.models import Job, JobStatus
from tests.browsers import sign_in
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def slow_model(cast):
    dataset = DatasetFactory(project=cast.project)
    label = LabelFactory(dataset=dataset, name="thing")
    for subset in ("train", "validation"):
        AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=label)
    package = PackageFactory(adapter="tests.worker.adapters:CountingAdapter")
    return ModelVersionFactory(
        project=cast.project,
        package=package,
        dataset=dataset,
        name="slow one",
        configuration={"epochs": 12, "seconds_per_epoch": 0.4},
    )


def test_pressing_train_shows_the_progress_bar_move_and_finish(
    page, cast, slow_model, celery_worker_process
):
    sign_in(page, "developer")
    page.goto(f"/projects/{cast.project.id}/models/{slow_model.id}/")

    page.get_by_role("button", name="Train").click()
    bar = page.locator("#training progress")
    bar.wait_for()
    page.wait_for_function(
        "() => { const p = document.querySelector('#training progress');"
        " return p && p.value > 0 && p.value < 100; }",
        timeout=30_000,
    )
    midway = float(bar.get_attribute("value"))

    # When the job ends, the page reloads itself and shows the trained model.
    page.locator("h1 .badge", has_text="trained").wait_for(timeout=60_000)
    assert 0 < midway < 100
    assert page.locator("#training progress").get_attribute("value") == "100.0"
    assert Job.objects.get(model=slow_model).status == JobStatus.SUCCEEDED
