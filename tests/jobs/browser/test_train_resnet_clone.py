"""In Chromium: clone the public resnet, press Train, watch its accuracy chart grow."""

import pytest

from jobs.models import Job, JobStatus
from registry.models import ModelVersion
from registry.services.models import model_clone
from tests.browsers import sign_in
from tests.worker.image_models import colour_model
from worker.inline import pretrain

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def resnet_clone(cast):
    project_model = colour_model(epochs=2)
    dataset, package = project_model.dataset, project_model.package
    dataset.project = cast.project
    dataset.save()
    public = ModelVersion.objects.create(
        project=None,
        package=package,
        name="pretrained-resnet",
        labels=project_model.labels,
        configuration=project_model.configuration,
    )
    pretrain(model=public, dataset=dataset, say=lambda line: None)
    return model_clone(
        source=public,
        name="my resnet",
        user=cast.developer,
        project=cast.project,
        dataset=dataset,
        configuration={"epochs": 8},
    )


def accuracy_points(page) -> int:
    return page.evaluate(
        """() => {
            const chart = [...document.querySelectorAll(".metric-chart")]
                .find((element) => element.dataset.figure === "accuracy");
            return chart && chart.data ? chart.data[0].x.length : 0;
        }"""
    )


def test_a_resnet_clone_trains_from_the_train_button_and_its_chart_grows(
    page, cast, resnet_clone, celery_worker_process
):
    sign_in(page, "developer")
    page.goto(f"/projects/{cast.project.id}/models/{resnet_clone.id}/")

    page.get_by_role("button", name="Train").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll(".metric-chart")]
            .some((chart) => chart.dataset.figure === "accuracy"
                  && chart.data && chart.data[0].x.length >= 2)""",
        timeout=120_000,
    )
    seen_midway = accuracy_points(page)
    page.locator("h1 .badge", has_text="trained").wait_for(timeout=120_000)

    job = Job.objects.get(model=resnet_clone)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "loaded all 122 tensors, head included" in job.log
    assert 2 <= seen_midway < 8  # drawn while it trains, not only at the end
    page.wait_for_function(
        """() => [...document.querySelectorAll(".metric-chart")]
            .some((chart) => chart.dataset.figure === "accuracy"
                  && chart.data && chart.data[0].x.length === 8)""",
        timeout=30_000,
    )
