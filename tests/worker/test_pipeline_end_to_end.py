"""A pipeline on the digits in a real worker: clone, train, evaluate both, decide, promote."""

import pytest

from registry.models import (
    Deployment,
    DeploymentState,
    ModelStatus,
    PipelineRun,
    RunStatus,
    StepStatus,
)
from registry.services import pipelines as services
from registry.services.deployments import model_deploy
from tests.factories import UserFactory
from tests.worker.test_evaluate_digits import trained_digits_model
from tests.workers import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def champion(transactional_db):
    model = trained_digits_model(UserFactory())
    model_deploy(model=model, user=model.created_by)
    return model


def run_now(champion, log, **rule) -> PipelineRun:
    pipeline = services.pipeline_create(
        project=champion.project,
        user=champion.created_by,
        name="digits nightly",
        dataset=champion.dataset,
        champion=champion,
        **{"overrides": {"epochs": 2}, **rule},
    )
    run = services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=champion.created_by)
    wait_for(lambda: not _fresh(run).is_active, timeout=180, log=log)
    return _fresh(run)


def _fresh(run: PipelineRun) -> PipelineRun:
    run.refresh_from_db()
    return run


def live_models(project) -> list[int]:
    live = Deployment.objects.filter(project=project, state__in=[DeploymentState.STARTING, "ready"])
    return list(live.values_list("model_id", flat=True))


def test_a_challenger_that_wins_by_the_rule_is_promoted(champion, celery_worker_process):
    _, log = celery_worker_process

    # Any challenger no worse than 1.0 of accuracy wins: the rule chooses the outcome.
    run = run_now(champion, log, min_improvement=-1.0)

    assert run.status == RunStatus.PROMOTED, run.error
    assert [step.status for step in run.steps.all()] == [StepStatus.SUCCEEDED] * 6
    assert run.challenger.status == ModelStatus.DEPLOYED
    assert run.challenger_evaluation.summary["accuracy"] > 0.5
    assert run.champion_evaluation.summary["accuracy"] >= 0.9
    assert run.champion_evaluation.subset == run.challenger_evaluation.subset == "test"
    assert run.decision["promote"] is True
    run.pipeline.refresh_from_db()
    assert run.pipeline.champion == run.challenger
    assert live_models(champion.project) == [run.challenger.id]
    champion.refresh_from_db()
    assert champion.status != ModelStatus.DEPLOYED


def test_a_challenger_that_loses_by_the_rule_is_discarded(champion, celery_worker_process):
    _, log = celery_worker_process

    run = run_now(champion, log, min_improvement=0.5)

    assert run.status == RunStatus.DISCARDED, run.error
    assert run.decision["promote"] is False
    assert run.challenger.status == ModelStatus.TRAINED
    run.pipeline.refresh_from_db()
    assert run.pipeline.champion == champion
    assert live_models(champion.project) == [champion.id]


def test_a_failing_training_fails_the_run_and_the_champion_stays(champion, celery_worker_process):
    _, log = celery_worker_process
    # The adapter reads epochs with int(): the challenger's training raises.
    run = run_now(champion, log, overrides={"epochs": "many"})

    assert run.status == RunStatus.FAILED
    assert "ValueError" in run.error
    assert "many" in run.error
    assert run.steps.get(name="train").status == StepStatus.FAILED
    run.pipeline.refresh_from_db()
    assert run.pipeline.champion == champion
    assert live_models(champion.project) == [champion.id]
