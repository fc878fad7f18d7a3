"""shapes-detector evaluated end to end in a real worker: boxes stored, a sane mAP."""

import tempfile
from pathlib import Path

import pytest

from data.models import AnnotationKind, Item
from data.services import datasets as data_services
from demo.load import BUILT_INS
from demo.shapes import SHAPE_LABELS, shapes_upload
from evaluation.models import EvalPrediction, Evaluation, EvaluationStatus
from evaluation.services import model_evaluate
from jobs.models import JobStatus
from registry.models import ModelVersion
from registry.services.models import model_create
from registry.services.packages import package_create
from registry.services.projects import project_create
from tests.factories import UserFactory
from tests.workers import wait_for
from worker.adapters.shapes_detector import ShapesDetectorAdapter
from worker.data import subset_data
from worker.inline import pretrain

pytestmark = pytest.mark.worker

SHAPES = next(built_in for built_in in BUILT_INS if built_in.name == "shapes-detector")


@pytest.fixture
def shapes_model(transactional_db) -> ModelVersion:
    """A shapes-detector version trained here on the demo's generated shapes (seed 0)."""
    user = UserFactory()
    project = project_create(name="Shapes", user=user)
    dataset = data_services.dataset_create(
        project=project,
        name="shapes",
        user=user,
        labels=SHAPE_LABELS,
        annotation_kind=AnnotationKind.BOX,
    )
    coco_file, archive = shapes_upload(count=300, seed=0)
    data_services.items_import_coco(
        dataset=dataset, coco_file=coco_file, images=[archive], user=user
    )
    data_services.items_split(dataset=dataset, train=70, validation=15, test=15, seed=0)
    package = package_create(
        project=project,
        name="shapes-detector",
        adapter=SHAPES.adapter,
        output_type="box",
        default_configuration=SHAPES.configuration,
    )
    model = model_create(
        project=project, package=package, name="shapes v1", user=user, dataset=dataset
    )
    pretrain(model=model, dataset=dataset, say=lambda line: None)
    return model


def detections_on_test(model: ModelVersion) -> int:
    """How many boxes the model's weights find on the test subset, counted here."""
    adapter = ShapesDetectorAdapter(configuration=SHAPES.configuration, labels=SHAPE_LABELS)
    with tempfile.TemporaryDirectory() as folder:
        for artifact in model.artifacts.all():
            Path(folder, artifact.name).write_bytes(artifact.file.read())
        adapter.load(folder)
    data = subset_data(model.dataset, "test", SHAPE_LABELS)
    return sum(len(found) for found in adapter.predict_all(data.images))


def finished(job):
    job.refresh_from_db()
    return not job.is_active


def test_shapes_detector_evaluates_the_test_subset_in_the_worker(
    shapes_model, celery_worker_process
):
    _, log = celery_worker_process

    job = model_evaluate(model=shapes_model, subset="test", user=shapes_model.created_by)

    wait_for(lambda: finished(job), timeout=180, log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert evaluation.status == EvaluationStatus.SUCCEEDED, evaluation.error
    print(f"\nshapes-detector: {evaluation.summary}")
    # The detector finds most shapes with a few wrong boxes: far from 0, short of 1.
    assert 0.2 <= evaluation.summary["mAP"] <= 0.95
    assert evaluation.summary["AP50"] >= evaluation.summary["mAP"]
    predictions = EvalPrediction.objects.filter(evaluation=evaluation)
    assert predictions.count() == detections_on_test(shapes_model) > 0
    assert not predictions.filter(x__isnull=True).exists()
    test_ids = set(
        Item.objects.filter(dataset=shapes_model.dataset, subset="test").values_list(
            "id", flat=True
        )
    )
    assert set(predictions.values_list("item_id", flat=True)) <= test_ids
    # Every stored box lies inside its 128 × 128 image.
    for x, y, w, h in predictions.values_list("x", "y", "w", "h"):
        assert min(x, y) >= 0
        assert max(x + w, y + h) <= 128


def test_every_item_is_evaluated_when_no_subset_is_given(shapes_model, celery_worker_process):
    _, log = celery_worker_process

    job = model_evaluate(model=shapes_model, subset="", user=shapes_model.created_by)

    wait_for(lambda: finished(job), timeout=240, log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert evaluation.subset == ""
    items = EvalPrediction.objects.filter(evaluation=evaluation).values("item").distinct()
    subsets = set(Item.objects.filter(id__in=items).values_list("subset", flat=True))
    assert subsets == {"train", "validation", "test"}
