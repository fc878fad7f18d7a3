"""Deploy, undeploy, predict and accept, with the worker's part run in this process."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from data.models import Annotation
from jobs.models import JobKind, JobStatus
from jobs.services import JobConflict
from registry.models import ModelStatus, Role
from serving import services
from serving.models import Deployment, DeploymentState
from serving.services import NotDeployed
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    MembershipFactory,
    ModelVersionFactory,
    PackageFactory,
    UserFactory,
)
from tests.images import png_bytes
from worker import serving
from worker.predicting import run_predict_items_job, run_warm_up

ECHO = "tests.worker.serving_adapters:EchoAdapter"


@pytest.fixture(autouse=True)
def empty_cache():
    serving.clear()
    yield
    serving.clear()


@pytest.fixture
def served(cast):
    """An echo model in Acme with weights, and a dataset of five red items."""
    dataset = DatasetFactory(project=cast.project, name="shots")
    for position, name in enumerate(["cat", "dog"]):
        LabelFactory(dataset=dataset, name=name, position=position)
    package = PackageFactory(project=cast.project, name="echo", adapter=ECHO)
    model = ModelVersionFactory(
        project=cast.project, package=package, dataset=dataset, status=ModelStatus.TRAINED
    )
    ArtifactFactory(
        model=model, name="state.json", file=ContentFile(b"{}", name="state.json"), sha256="a" * 64
    )
    items = [ItemFactory(dataset=dataset) for _ in range(5)]
    return model, dataset, items


def deployed(model, user):
    deployment = services.model_deploy(model=model, user=user)
    run_warm_up(deployment.id, worker="test-worker")
    deployment.refresh_from_db()
    return deployment


def test_deploy_records_who_which_artifacts_and_starts(served, cast):
    model, _, _ = served

    deployment = services.model_deploy(model=model, user=cast.developer, concurrency=2)

    assert deployment.state == DeploymentState.STARTING
    assert deployment.created_by == cast.developer
    assert deployment.artifacts == [{"name": "state.json", "sha256": "a" * 64}]
    assert deployment.concurrency == 2
    assert deployment.queue == "inference"
    model.refresh_from_db()
    assert model.status == ModelStatus.DEPLOYED


def test_the_warm_up_sets_it_ready_and_loads_once(served, cast):
    model, _, _ = served
    before = serving.loads

    deployment = deployed(model, cast.developer)

    assert deployment.state == DeploymentState.READY
    assert deployment.worker == "test-worker"
    assert deployment.ready_at is not None
    assert serving.loads == before + 1


def test_deploying_a_live_model_again_answers_the_same_deployment(served, cast):
    model, _, _ = served
    first = services.model_deploy(model=model, user=cast.developer)

    again = services.model_deploy(model=model, user=cast.owner)

    assert again.pk == first.pk
    assert Deployment.objects.count() == 1


def test_a_warm_up_that_cannot_load_fails_the_deployment(served, cast):
    model, _, _ = served
    model.artifacts.update(name="other.json")

    deployment = deployed(model, cast.developer)

    assert deployment.state == DeploymentState.FAILED
    assert "state.json" in deployment.error
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED


def test_a_model_without_weights_cannot_be_deployed(served, cast):
    model, _, _ = served
    model.artifacts.all().delete()

    with pytest.raises(ValidationError, match="no weights"):
        services.model_deploy(model=model, user=cast.developer)


def test_a_training_model_cannot_be_deployed(served, cast):
    model, _, _ = served
    model.status = ModelStatus.TRAINING
    model.save()

    with pytest.raises(JobConflict):
        services.model_deploy(model=model, user=cast.developer)


def test_undeploy_stops_it_and_restores_the_status(served, cast):
    model, _, _ = served
    deployed(model, cast.developer)

    deployment = services.model_undeploy(model=model, user=cast.owner)

    assert deployment.state == DeploymentState.STOPPED
    assert deployment.stopped_by == cast.owner
    assert deployment.stopped_at is not None
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED
    assert services.model_undeploy(model=model, user=cast.owner) is None


def test_undeploy_evicts_the_model_at_its_next_use(served, cast):
    model, _, _ = served
    deployed(model, cast.developer)
    services.model_undeploy(model=model, user=cast.owner)

    assert serving.evict_stale() == 1
    assert serving.cached_deployment_ids() == []


def test_predict_on_a_model_never_deployed_says_so(served, cast):
    model, _, items = served

    with pytest.raises(NotDeployed, match="is not deployed"):
        services.predict_items(model=model, item_ids=[items[0].id], user=cast.developer)


def test_predict_on_a_failed_deployment_gives_its_reason(served, cast):
    model, _, items = served
    model.artifacts.update(name="other.json")
    deployed(model, cast.developer)

    with pytest.raises(NotDeployed, match="deployment failed"):
        services.predict_items(model=model, item_ids=[items[0].id], user=cast.developer)


def test_predict_refuses_items_of_another_project(served, cast):
    model, _, _ = served
    deployed(model, cast.developer)
    foreign = ItemFactory(dataset=DatasetFactory(project=cast.other_project))

    with pytest.raises(ValidationError, match=str(foreign.id)):
        services.predict_items(model=model, item_ids=[foreign.id], user=cast.developer)


def test_predict_items_stores_predictions_with_model_and_confidence(served, cast):
    model, dataset, items = served
    deployed(model, cast.developer)
    job = services.predict_items(model=model, item_ids=[i.id for i in items], user=cast.developer)
    assert job.kind == JobKind.PREDICT
    assert job.queue == "inference"

    run_predict_items_job(job.id, worker="test-worker")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.parameters["stored"] == 5
    assert job.parameters["failed"] == 0
    assert job.parameters["warm"] is True  # the warm-up loaded it
    predictions = Annotation.objects.filter(model=model)
    assert predictions.count() == 5
    assert set(predictions.values_list("confidence", flat=True)) == {0.75}
    assert set(predictions.values_list("label__name", flat=True)) == {"cat"}


def test_running_again_replaces_only_that_models_predictions(served, cast):
    model, dataset, items = served
    deployed(model, cast.developer)
    truth = AnnotationFactory(item=items[0], label=dataset.labels.get(name="dog"))
    other_model = ModelVersionFactory(project=cast.project, package=model.package)
    theirs = AnnotationFactory(item=items[0], label=truth.label, model=other_model, confidence=0.5)
    for _ in range(2):
        job = services.predict_items(model=model, item_ids=[items[0].id], user=cast.developer)
        run_predict_items_job(job.id, worker="test-worker")

    assert Annotation.objects.filter(model=model, item=items[0]).count() == 1
    assert Annotation.objects.filter(pk__in=[truth.pk, theirs.pk]).count() == 2
    truth.refresh_from_db()
    assert truth.model_id is None
    assert truth.label.name == "dog"


def test_an_item_the_adapter_fails_on_fails_alone(served, cast):
    model, dataset, items = served
    blue = ItemFactory(dataset=dataset, name="blue.png")
    blue.file.save("blue.png", ContentFile(png_bytes(color=(0, 0, 255))), save=True)
    deployed(model, cast.developer)
    ids = [item.id for item in items] + [blue.id]
    job = services.predict_items(model=model, item_ids=ids, user=cast.developer)

    run_predict_items_job(job.id, worker="test-worker")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.parameters["failed"] == 1
    assert job.parameters["failures"] == [
        {
            "item": blue.id,
            "name": "blue.png",
            "error": "ValueError: this adapter cannot read blue images",
        }
    ]
    assert "blue.png" in job.log
    assert Annotation.objects.filter(model=model).count() == 5


def test_a_job_whose_every_item_fails_fails(served, cast):
    model, dataset, _ = served
    blue = ItemFactory(
        dataset=dataset, file=ContentFile(png_bytes(color=(0, 0, 255)), name="b.png")
    )
    deployed(model, cast.developer)
    job = services.predict_items(model=model, item_ids=[blue.id], user=cast.developer)

    run_predict_items_job(job.id, worker="test-worker")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Every one of the 1 items failed" in job.error


def test_a_second_prediction_does_not_load_again(served, cast):
    model, _, items = served
    deployed(model, cast.developer)
    loads = serving.loads

    for _ in range(2):
        job = services.predict_items(model=model, item_ids=[items[0].id], user=cast.developer)
        run_predict_items_job(job.id, worker="test-worker")

    assert serving.loads == loads


def test_new_weights_are_loaded_again(served, cast):
    model, _, items = served
    deployed(model, cast.developer)
    loads = serving.loads
    model.artifacts.update(sha256="b" * 64)

    serving.served_adapter(model)

    assert serving.loads == loads + 1


def test_a_deployment_no_worker_picked_up_fails_after_the_start_timeout(served, cast, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.DEPLOY_START_TIMEOUT_SECONDS = 600
    model, _, _ = served
    waiting = services.model_deploy(model=model, user=cast.developer)

    assert services.deployments_reap_stale() == []
    later = timezone.now() + timedelta(seconds=601)
    assert services.deployments_reap_stale(now=later) == [waiting.pk]

    waiting.refresh_from_db()
    assert waiting.state == DeploymentState.FAILED
    assert "No inference worker loaded it within 600 s" in waiting.error


def test_a_deployment_whose_worker_stopped_beating_fails(served, cast):
    from datetime import timedelta

    from django.utils import timezone

    model, _, _ = served
    deployment = deployed(model, cast.developer)
    Deployment.objects.filter(pk=deployment.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5)
    )

    assert services.deployments_reap_stale() == [deployment.pk]

    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.FAILED
    assert "stopped answering" in deployment.error
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED


def test_accept_turns_predictions_into_ground_truth(served, cast):
    model, dataset, items = served
    prediction = AnnotationFactory(
        item=items[0], label=dataset.labels.get(name="cat"), model=model, confidence=0.9
    )

    accepted = services.predictions_accept(
        project=cast.project, annotation_ids=[prediction.pk], user=cast.annotator
    )

    assert accepted == 1
    prediction.refresh_from_db()
    assert prediction.model_id is None
    assert prediction.accepted_from_id == model.pk
    assert prediction.accepted_by == cast.annotator
    assert prediction.accepted_at is not None


def test_accepting_a_class_prediction_replaces_the_items_other_class_label(served, cast):
    model, dataset, items = served
    cat, dog = dataset.labels.get(name="cat"), dataset.labels.get(name="dog")
    old = AnnotationFactory(item=items[0], label=dog, kind="class")
    kept = AnnotationFactory(item=items[1], label=dog, kind="class")
    box = AnnotationFactory(item=items[0], label=dog, kind="box", x=1, y=1, w=2, h=2)
    prediction = AnnotationFactory(
        item=items[0], label=cat, kind="class", model=model, confidence=0.9
    )

    services.predictions_accept(
        project=cast.project, annotation_ids=[prediction.pk], user=cast.annotator
    )

    truth = items[0].annotations.filter(model__isnull=True, kind="class")
    assert list(truth.values_list("label__name", flat=True)) == ["cat"]
    assert not type(old).objects.filter(pk=old.pk).exists()
    assert type(kept).objects.filter(pk__in=[kept.pk, box.pk]).count() == 2


def test_accept_refuses_ground_truth(served, cast):
    _, dataset, items = served
    truth = AnnotationFactory(item=items[0], label=dataset.labels.get(name="cat"))

    with pytest.raises(ValidationError, match="ground truth already"):
        services.predictions_accept(
            project=cast.project, annotation_ids=[truth.pk], user=cast.annotator
        )


@pytest.mark.parametrize(
    ("role", "allowed", "expected"),
    [
        (Role.OWNER, False, True),
        (Role.DEVELOPER, False, True),
        (Role.ANNOTATOR, False, False),
        (Role.ANNOTATOR, True, True),
        (Role.VIEWER, True, False),
    ],
)
def test_who_may_predict(cast, role, allowed, expected):
    cast.project.annotators_can_predict = allowed
    cast.project.save()

    assert services.may_predict(cast.user(role), cast.project) is expected


def test_outsiders_may_not_predict(cast):
    stranger = UserFactory()
    MembershipFactory(project=cast.other_project, user=stranger, role=Role.OWNER)

    assert services.may_predict(stranger, cast.project) is False
