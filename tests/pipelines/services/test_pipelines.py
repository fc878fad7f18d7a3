"""Pipelines: validation, triggers one run at a time, the steps, the rule, promotion."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from data.models import Item
from evaluation.models import Evaluation, EvaluationStatus
from jobs.models import JobStatus
from jobs.services import job_fail, job_start, job_succeed
from pipelines.models import Pipeline, PipelineRun, RunStatus, StepStatus
from pipelines.services import pipelines as services
from pipelines.services.steps import decide, pipeline_advance
from registry.models import ModelStatus
from serving.models import Deployment, DeploymentState
from serving.services import model_deploy
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
    UserFactory,
)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def champion(user):
    return a_trained_champion(user)


def a_trained_champion(user):
    """A trained version with weights, on a dataset of 2 train, 1 test, 1 validation items."""
    model = ModelVersionFactory(status=ModelStatus.TRAINED, created_by=user)
    ArtifactFactory(model=model)
    dataset = DatasetFactory(project=model.project)
    label = LabelFactory(dataset=dataset, name="cat")
    for subset in ["train", "train", "test", "validation"]:
        AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=label)
    model.dataset = dataset
    model.save()
    return model


def make(champion, user, **fields) -> Pipeline:
    fields = {"name": "nightly", "dataset": champion.dataset, "champion": champion, **fields}
    return services.pipeline_create(project=champion.project, user=user, **fields)


def evaluation_of(run, field, accuracy, per_label=None):
    evaluation = getattr(run, field)
    evaluation.summary = {"accuracy": accuracy}
    evaluation.per_label = per_label or {}
    evaluation.status = EvaluationStatus.SUCCEEDED
    evaluation.save()


def finish_job(step, ok=True):
    job_start(job_id=step.job_id, worker="test")
    if ok:
        job_succeed(job_id=step.job_id)
    else:
        job_fail(job_id=step.job_id, error="RuntimeError: broke")


def step(run, name):
    return run.steps.get(name=name)


def run_to_compare(run, challenger=0.9, champion=0.8):
    run = pipeline_advance(run_id=run.id)  # clone, then train queued
    finish_job(step(run, "train"))
    run = pipeline_advance(run_id=run.id)
    evaluation_of(run, "challenger_evaluation", challenger)
    finish_job(step(run, "evaluate_challenger"))
    run = pipeline_advance(run_id=run.id)
    evaluation_of(run, "champion_evaluation", champion)
    finish_job(step(run, "evaluate_champion"))
    return pipeline_advance(run_id=run.id)


# --- Validation ------------------------------------------------------------------


def test_it_rejects_a_dataset_of_another_project(champion, user):
    with pytest.raises(ValidationError) as error:
        make(champion, user, dataset=DatasetFactory())
    assert "dataset" in error.value.message_dict


def test_it_rejects_a_champion_that_predicts_boxes_for_a_class_dataset(champion, user):
    champion.package = PackageFactory(output_type="box")
    champion.save()
    with pytest.raises(ValidationError) as error:
        make(champion, user)
    assert "champion" in error.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric": " "}, "metric"),
        ({"trigger": "new_items", "new_items_threshold": 0}, "new_items_threshold"),
        ({"trigger": "schedule", "schedule": "0 3 * *"}, "schedule"),
        ({"trigger": "hourly"}, "trigger"),
        ({"name": ""}, "name"),
    ],
)
def test_it_names_the_field_it_rejects(champion, user, fields, field):
    with pytest.raises(ValidationError) as error:
        make(champion, user, **fields)
    assert field in error.value.message_dict


def test_it_accepts_a_five_field_schedule_and_refuses_a_second_name(champion, user):
    make(champion, user, trigger="schedule", schedule="0 3 * * 1")
    with pytest.raises(ValidationError) as error:
        make(champion, user)
    assert "name" in error.value.message_dict


# --- Triggers --------------------------------------------------------------------


def test_a_trigger_during_a_run_is_remembered_and_runs_after(champion, user):
    pipeline = make(champion, user, min_improvement=0.5)
    first = services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=user)
    assert services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=user) is None
    pipeline.refresh_from_db()
    assert pipeline.pending_trigger == "manual"
    assert PipelineRun.objects.filter(pipeline=pipeline).count() == 1

    first = run_to_compare(first)  # loses: 0.1 < 0.5

    assert first.status == RunStatus.DISCARDED
    second = PipelineRun.objects.exclude(pk=first.pk).get(pipeline=pipeline)
    assert second.status == RunStatus.QUEUED
    pipeline.refresh_from_db()
    assert pipeline.pending_trigger == ""


def test_a_paused_pipeline_ignores_automatic_triggers_but_runs_now(champion, user):
    pipeline = services.pipeline_pause(pipeline=make(champion, user))
    assert services.pipeline_trigger(pipeline=pipeline, trigger="new_items") is None
    assert services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=user)
    assert services.pipeline_resume(pipeline=pipeline).paused is False


def annotate_train_item(dataset, subset="train"):
    label = dataset.labels.get()
    return AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=label)


def test_new_annotated_train_items_start_a_run_at_the_threshold(champion, user):
    pipeline = make(champion, user, trigger="new_items", new_items_threshold=2)
    assert pipeline.items_seen == 2  # the items annotated before it are not new to it
    annotate_train_item(champion.dataset)
    annotate_train_item(champion.dataset, subset="test")  # not the train subset
    ItemFactory(dataset=champion.dataset, subset="train")  # no ground truth
    assert services.pipelines_check_triggers() == []

    second_box = annotate_train_item(champion.dataset)
    AnnotationFactory(item=second_box.item, label=second_box.label)  # one item, two labels
    started = services.pipelines_check_triggers()

    run = PipelineRun.objects.get(pipeline=pipeline)
    assert started == [run.id]
    assert run.trigger == "new_items"
    pipeline.refresh_from_db()
    assert pipeline.items_seen == 4
    services.run_cancel(run=run, user=user)
    assert services.pipelines_check_triggers() == []


def test_switching_to_the_new_items_trigger_counts_from_then(champion, user):
    pipeline = make(champion, user)
    annotate_train_item(champion.dataset)
    pipeline = services.pipeline_update(
        pipeline=pipeline, trigger="new_items", new_items_threshold=1
    )
    assert pipeline.items_seen == 3
    assert services.pipelines_check_triggers() == []


def test_a_run_records_the_exact_data_it_uses(champion, user):
    run = services.pipeline_trigger(pipeline=make(champion, user), trigger="manual", user=user)
    items = Item.objects.filter(dataset=champion.dataset).order_by("id")
    train = ",".join(str(i.id) for i in items if i.subset == "train")
    test = ",".join(str(i.id) for i in items if i.subset == "test")
    expected = hashlib.sha256(f"train:{train}\ntest:{test}\n".encode()).hexdigest()
    assert (run.train_items, run.test_items, run.data_checksum) == (2, 1, expected)


# --- Steps, rule and promotion ---------------------------------------------------


def test_a_winning_challenger_is_promoted_atomically(champion, user):
    model_deploy(model=champion, user=user)
    pipeline = make(champion, user, overrides={"epochs": 3})
    run = services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=user)

    run = run_to_compare(run, challenger=0.9, champion=0.8)

    assert run.status == RunStatus.PROMOTED
    assert run.decision["promote"]
    assert run.decision["gain"] == pytest.approx(0.1)
    pipeline.refresh_from_db()
    assert pipeline.champion == run.challenger
    assert run.challenger.configuration["epochs"] == 3
    assert run.challenger.parent == champion
    live = Deployment.objects.filter(state__in=[DeploymentState.STARTING, DeploymentState.READY])
    assert list(live.values_list("model_id", flat=True)) == [run.challenger.id]
    assert [s.status for s in run.steps.all()] == [StepStatus.SUCCEEDED] * 6
    assert all(s.duration is not None for s in run.steps.all())
    train = step(run, "train")
    assert train.message == f"job {train.job_id} succeeded"


def test_the_decision_keeps_the_rule_it_was_made_by(champion, user):
    pipeline = make(champion, user, higher_is_better=False, max_label_regression=0.2)
    run = run_to_compare(services.pipeline_trigger(pipeline=pipeline, trigger="manual"), 0.7, 0.8)
    services.pipeline_update(pipeline=pipeline, min_improvement=0.3, max_label_regression=None)

    run.refresh_from_db()
    rule = {key: run.decision[key] for key in ("higher_is_better", "max_label_regression")}
    assert rule == {"higher_is_better": False, "max_label_regression": 0.2}
    assert run.decision["min_improvement"] == 0.0


def test_a_losing_challenger_is_discarded_and_the_champion_stays(champion, user):
    model_deploy(model=champion, user=user)
    pipeline = make(champion, user, higher_is_better=False)

    run = run_to_compare(services.pipeline_trigger(pipeline=pipeline, trigger="manual"))

    assert run.status == RunStatus.DISCARDED
    assert step(run, "promote").status == StepStatus.SKIPPED
    pipeline.refresh_from_db()
    assert pipeline.champion == champion
    assert Deployment.objects.get(state=DeploymentState.STARTING).model == champion


def test_without_auto_promote_a_human_approves(champion, user):
    pipeline = make(champion, user, auto_promote=False)
    run = run_to_compare(services.pipeline_trigger(pipeline=pipeline, trigger="manual"))
    assert run.status == RunStatus.AWAITING_APPROVAL
    pipeline.refresh_from_db()
    assert pipeline.champion == champion

    run = services.run_approve(run=run, user=user)

    assert run.status == RunStatus.PROMOTED
    pipeline.refresh_from_db()
    assert pipeline.champion == run.challenger


def test_a_failed_training_fails_the_run_and_keeps_the_champion(champion, user):
    model_deploy(model=champion, user=user)
    pipeline = make(champion, user)
    run = pipeline_advance(run_id=services.pipeline_trigger(pipeline=pipeline, trigger="manual").id)

    finish_job(step(run, "train"), ok=False)
    run = pipeline_advance(run_id=run.id)

    assert run.status == RunStatus.FAILED
    assert "broke" in run.error
    assert step(run, "evaluate_challenger").status == StepStatus.SKIPPED
    pipeline.refresh_from_db()
    assert pipeline.champion == champion
    champion.refresh_from_db()
    assert champion.status == ModelStatus.DEPLOYED


def test_cancelling_a_run_cancels_its_job_and_promotes_nothing(champion, user):
    pipeline = make(champion, user)
    run = pipeline_advance(run_id=services.pipeline_trigger(pipeline=pipeline, trigger="manual").id)

    run = services.run_cancel(run=run, user=user)

    assert run.status == RunStatus.CANCELLED
    assert step(run, "train").job.status == JobStatus.CANCELLED
    assert step(run, "compare").status == StepStatus.CANCELLED
    assert pipeline_advance(run_id=run.id).status == RunStatus.CANCELLED


def test_a_missing_metric_fails_the_run(champion, user):
    pipeline = make(champion, user, metric="mAP")
    run = run_to_compare(services.pipeline_trigger(pipeline=pipeline, trigger="manual"))
    assert run.status == RunStatus.FAILED
    assert "mAP" in run.error


# --- The rule --------------------------------------------------------------------


def rule(**fields) -> Pipeline:
    defaults = {"metric": "accuracy", "higher_is_better": True, "min_improvement": 0.0}
    return Pipeline(dataset=DatasetFactory.build(), **{**defaults, **fields})


def evaluation(accuracy, **f1) -> Evaluation:
    per_label = {label: {"f1": value} for label, value in f1.items()}
    return Evaluation(summary={"accuracy": accuracy}, per_label=per_label)


@pytest.mark.parametrize(
    ("fields", "new", "old", "promote"),
    [
        ({}, 0.81, 0.80, True),
        ({}, 0.80, 0.80, False),  # a tie keeps the champion
        ({"min_improvement": 0.05}, 0.84, 0.80, False),
        ({"min_improvement": 0.05}, 0.86, 0.80, True),
        ({"higher_is_better": False}, 0.70, 0.80, True),
        ({"min_improvement": -0.1}, 0.75, 0.80, True),  # below 0 tolerates a loss
    ],
)
def test_the_rule_compares_the_metric(fields, new, old, promote):
    assert decide(rule(**fields), evaluation(new), evaluation(old))["promote"] is promote


def test_the_rule_refuses_a_regression_on_one_label():
    pipeline = rule(max_label_regression=0.05)
    challenger, champion = evaluation(0.9, cat=0.99, dog=0.7), evaluation(0.8, cat=0.8, dog=0.8)
    decision = decide(pipeline, challenger, champion)
    assert decision["promote"] is False
    assert "dog" in decision["reason"]
    assert decision["label_regressions"]["dog"] == pytest.approx(0.1)
    pipeline.max_label_regression = 0.2
    assert decide(pipeline, challenger, champion)["promote"] is True


def test_the_database_refuses_a_second_active_run(champion, user):
    from django.db import IntegrityError, transaction

    pipeline = make(champion, user)
    services.pipeline_trigger(pipeline=pipeline, trigger="manual")
    with pytest.raises(IntegrityError), transaction.atomic():
        PipelineRun.objects.create(pipeline=pipeline, trigger="manual", status=RunStatus.RUNNING)


def test_a_pipelines_champion_cannot_be_deleted_until_the_pipeline_is(champion, user):
    from registry.services.models import model_delete

    pipeline = make(champion, user, name="nightly <b>")
    with pytest.raises(ValidationError) as error:
        model_delete(model=champion)
    assert "nightly <b>" in error.value.message_dict["model"][0]

    services.pipeline_delete(pipeline=pipeline, user=user)
    model_delete(model=champion)
    assert not type(champion).objects.filter(pk=champion.pk).exists()


def test_an_untrained_version_cannot_be_the_champion(champion, user):
    champion.artifacts.all().delete()
    with pytest.raises(ValidationError) as error:
        make(champion, user)
    assert "no weights yet" in error.value.message_dict["champion"][0]
