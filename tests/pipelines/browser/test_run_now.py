"""Create a pipeline in a real Chromium, press Run now, and watch the run promote its
challenger without reloading the page."""

import pytest
from playwright.sync_api import expect

from pipelines.models import Pipeline, PipelineRun, RunStatus, StepName
from registry.models import Role
from serving.services import model_deploy
from tests.browsers import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.worker.test_evaluate_digits import trained_digits_model

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def champion(transactional_db):
    model = trained_digits_model(UserFactory(username="lead"))
    model_deploy(model=model, user=model.created_by)
    developer = UserFactory(username="developer")
    MembershipFactory(project=model.project, user=developer, role=Role.DEVELOPER)
    return model


def fill_the_form(page, champion) -> None:
    page.get_by_label("Name", exact=True).fill("digits nightly")
    page.get_by_label("Dataset", exact=True).select_option(str(champion.dataset_id))
    page.get_by_label("Champion", exact=True).select_option(str(champion.id))
    page.get_by_label("Configuration overrides").fill('{"epochs": 2}')
    page.get_by_label("Manual only").check()
    page.get_by_label("Metric", exact=True).fill("accuracy")
    # Any challenger no worse than 1.0 of accuracy wins: the run ends promoted.
    page.get_by_label("Minimum improvement").fill("-1")


def test_run_now_shows_the_steps_succeed_and_the_challenger_become_champion(
    page, champion, celery_worker_process
):
    sign_in(page, "developer")
    page.goto(f"/projects/{champion.project_id}/")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Pipelines").click()
    page.get_by_role("link", name="New pipeline").click()
    fill_the_form(page, champion)
    page.get_by_role("button", name="Create pipeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("digits nightly")
    expect(page.locator("#champion-link")).to_have_text(champion.name)

    page.get_by_role("button", name="Run now").click()
    expect(page.locator(".messages")).to_contain_text("queued")
    page.evaluate("window.stillTheSamePage = true")

    run = page.locator(".run").first
    for name in StepName.values:
        expect(run.locator(f'[data-step="{name}"] .badge')).to_have_text(
            "succeeded", timeout=90_000
        )
    expect(run.locator(".run-promoted").first).to_have_text("Promoted")
    promoted = PipelineRun.objects.get(pipeline=Pipeline.objects.get())
    assert promoted.status == RunStatus.PROMOTED, promoted.error
    expect(page.locator("#champion-link")).to_have_text(promoted.challenger.name)
    assert page.evaluate("window.stillTheSamePage") is True
    assert "hx-trigger" not in page.locator("#pipeline-runs").evaluate("e => e.outerHTML")
