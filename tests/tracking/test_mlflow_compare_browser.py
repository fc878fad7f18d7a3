"""In Chromium: a run logged through the mlflow client is compared beside a version
trained in Modelyard, on the same chart."""

import mlflow
import pytest
from playwright.sync_api import expect

from tests.browsers import sign_in
from tests.comparison.compare.conftest import compare_url
from tests.digits import digits_model
from tracking.models import Run
from worker.inline import pretrain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_mlflow_run_is_drawn_beside_a_version_trained_here(page, logged_in):
    trained_here = digits_model(logged_in.user)  # the user owns project Digits too
    pretrain(model=trained_here, dataset=trained_here.dataset, say=lambda line: None)
    mlflow.set_experiment("Digits/from-a-laptop")
    with mlflow.start_run(run_name="laptop <b>run</b>") as run:
        mlflow.log_param("learning_rate", 0.05)
        for step, accuracy in enumerate((0.5, 0.7, 0.8, 0.85)):
            mlflow.log_metric("accuracy/val", accuracy, step=step)
    logged = Run.objects.get(run_id=run.info.run_id).model
    ids = f"{trained_here.id},{logged.id}"

    sign_in(page, logged_in.user.username)
    page.goto(compare_url(trained_here.project, f"models={ids}&metrics=accuracy/val"))

    page.wait_for_function(
        "() => { const chart = document.querySelector('.compare-chart');"
        " return chart && chart.data && chart.data.length === 2; }"
    )
    legend = page.locator(".compare-panel .legendtext").all_text_contents()
    assert legend == ["digits v1", "laptop <b>run</b>"]  # a name is text, never markup
    drawn = page.evaluate(
        "() => document.querySelector('.compare-chart').data.map((t) => [t.x, t.y])"
    )
    assert drawn[1] == [[0, 1, 2, 3], [0.5, 0.7, 0.8, 0.85]]
    assert len(drawn[0][0]) == trained_here.metric_series.get(name="accuracy/val").point_count
    expect(page.locator(".compare-config")).to_contain_text("learning_rate")


def test_the_link_the_client_prints_opens_the_runs_version(page, logged_in):
    mlflow.set_experiment("Vision/links")
    with mlflow.start_run(run_name="printed") as run:
        mlflow.log_metric("loss", 0.5, step=0)
    model = Run.objects.get(run_id=run.info.run_id).model
    experiment_id = run.info.experiment_id

    sign_in(page, logged_in.user.username)
    page.goto(f"/mlflow/#/experiments/{experiment_id}/runs/{run.info.run_id}")

    page.wait_for_url(f"**/projects/{model.project_id}/models/{model.id}/")
    expect(page.locator("h1")).to_contain_text("printed")
    page.goto(f"/mlflow/#/experiments/{experiment_id}")
    page.wait_for_url(f"**/projects/{model.project_id}/models/")
