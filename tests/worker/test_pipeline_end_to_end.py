"""A pipeline on the digits in a real worker: clone, train, evaluate both, decide, promote."""

import io
import itertools
import time
import zipfile

import pytest

from data.services import datasets as data_services
from demo.digits import digits_images
from pipelines.models import PipelineRun, RunStatus, StepStatus
from pipelines.services import pipelines as services
from registry.models import ModelStatus
from serving.models import Deployment, DeploymentState
from serving.services import model_deploy
from tests.factories import UserFactory
from tests.worker.test_evaluate_digits import trained_digits_model
from tests.workers import _purge_queues, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def champion(transactional_db):
    model = trained_digits_model(UserFactory())
    model_deploy(model=model, user=model.created_by)
    return model


def a_pipeline(champion, **fields):
    """A pipeline on the champion's dataset whose challengers train for 2 epochs."""
    return services.pipeline_create(
        project=champion.project,
        user=champion.created_by,
        dataset=champion.dataset,
        champion=champion,
        **{"name": "digits nightly", "overrides": {"epochs": 2}, **fields},
    )


def run_now(champion, log, **rule) -> PipelineRun:
    pipeline = a_pipeline(champion, **rule)
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


def newly_labelled_digits(dataset, user, first: int, count: int) -> None:
    """More digits, imported as an annotator's zip and then put in the train subset."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, label, data in itertools.islice(digits_images(), first, first + count):
            archive.writestr(f"{label}/new_{name}", data)
    buffer.seek(0)
    buffer.name = "new.zip"
    data_services.items_import_zip(dataset=dataset, archive=buffer, user=user)
    new = dataset.items.filter(name__startswith="new_", subset="none")
    data_services.items_assign_subset(
        dataset=dataset, item_ids=list(new.values_list("id", flat=True)), subset="train"
    )


def test_newly_annotated_train_items_fire_the_trigger_in_beat(champion, tmp_path, media_in_tmp):
    user = champion.created_by
    pipeline = a_pipeline(
        champion, trigger="new_items", new_items_threshold=30, min_improvement=-1.0
    )
    train_before = pipeline.items_seen
    checks = {"PIPELINE_TRIGGER_INTERVAL_SECONDS": "1"}
    worker, log = start_worker(tmp_path / "beat.log", media_in_tmp, extra_env=checks, beat=True)
    try:
        newly_labelled_digits(champion.dataset, user, first=0, count=29)
        time.sleep(4)  # a few passes of the check: 29 new items are not enough
        assert not PipelineRun.objects.filter(pipeline=pipeline).exists()

        newly_labelled_digits(champion.dataset, user, first=29, count=1)
        wait_for(lambda: PipelineRun.objects.filter(pipeline=pipeline).exists(), log=log)
        run = PipelineRun.objects.get(pipeline=pipeline)
        wait_for(lambda: not _fresh(run).is_active, timeout=180, log=log)
    finally:
        stop_worker(worker)

    assert run.trigger == "new_items"
    assert run.status == RunStatus.PROMOTED, run.error
    assert run.train_items == train_before + 30
    pipeline.refresh_from_db()
    assert pipeline.items_seen == train_before + 30
    assert pipeline.champion == run.challenger
    assert live_models(champion.project) == [run.challenger.id]


def test_a_run_whose_message_was_lost_is_moved_on_by_beat(champion, tmp_path, media_in_tmp):
    pipeline = a_pipeline(champion, min_improvement=-1.0)
    run = services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=champion.created_by)
    _purge_queues()  # the message that starts the run is lost, as with a broker gone away
    reaper = {"JOB_REAPER_INTERVAL_SECONDS": "1"}
    worker, log = start_worker(tmp_path / "beat.log", media_in_tmp, extra_env=reaper, beat=True)
    try:
        wait_for(lambda: not _fresh(run).is_active, timeout=180, log=log)
    finally:
        stop_worker(worker)

    assert run.status == RunStatus.PROMOTED, run.error
    assert live_models(champion.project) == [run.challenger.id]
