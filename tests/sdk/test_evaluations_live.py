"""The SDK guide's evaluation snippets against the live server and a real worker."""

import modelyard
import pytest

from data.models import AnnotationKind, Item
from evaluation.models import Evaluation
from registry.services.tokens import token_create
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
from tests.worker.test_evaluate_digits import measured_test_accuracy, trained_digits_model

pytestmark = pytest.mark.worker


@pytest.fixture
def boxes(owner):
    """Two 16 × 16 test images: a circle on the first, a square on the second."""
    dataset = DatasetFactory(
        project=owner.project, name="parts", annotation_kind=AnnotationKind.BOX
    )
    circle = LabelFactory(dataset=dataset, name="circle", position=0)
    square = LabelFactory(dataset=dataset, name="square", position=1)
    first = ItemFactory(dataset=dataset, name="img_001.png", subset="test")
    second = ItemFactory(dataset=dataset, name="img_002.png", subset="test")
    AnnotationFactory(item=first, label=circle, kind="box", x=2, y=2, w=8, h=8)
    AnnotationFactory(item=second, label=square, kind="box", x=4, y=4, w=6, h=6)
    package = PackageFactory(project=owner.project, output_type="box")
    model = ModelVersionFactory(project=owner.project, package=package, dataset=dataset)
    return model, dataset


def test_an_offline_evaluation_uploads_predictions_finishes_and_lists_errors(
    yard, boxes, celery_worker_process
):
    model_row, dataset_row = boxes
    model = yard.models.get(model_id=model_row.id)
    dataset = yard.datasets.get(dataset_id=dataset_row.id)

    evaluation = model.evaluations.create(dataset=dataset, subset="test")
    accepted = evaluation.upload_predictions(
        [
            {"item": "img_001.png", "label": "circle", "box": [2, 2, 8, 8], "confidence": 0.91},
            {"item": "img_001.png", "label": "square", "box": [0, 0, 5, 5], "confidence": 0.4},
        ]
    )
    evaluation.finish().wait(timeout=90, poll=0.2, progress=False)

    assert accepted == 2
    metrics = evaluation.metrics
    # The circle is found (AP 1), the square is missed under a false one (AP 0).
    assert metrics["mAP"] == pytest.approx(0.5)
    assert set(metrics["per_label"]) >= {"circle", "square"}
    fps = evaluation.errors(kind="fp", iou=0.5, min_confidence=0.3)
    assert [(row["item_name"], row["label"]) for row in fps] == [("img_001.png", "square")]
    assert evaluation.errors(kind="fp", iou=0.5, min_confidence=0.5) == []
    fns = evaluation.errors(kind="fn", iou=0.5)
    assert [(row["item_name"], row["label"]) for row in fns] == [("img_002.png", "square")]
    counts = evaluation.counts(iou=0.5, min_confidence=0.0)
    assert (counts["tp"], counts["fp"], counts["fn"]) == (1, 1, 1)
    assert model.evaluations.list() == [evaluation]
    assert model.evaluations.get(evaluation_id=evaluation.id).status == "succeeded"


def test_predictions_may_name_items_by_id(yard, boxes):
    model_row, dataset_row = boxes
    first = Item.objects.get(dataset=dataset_row, name="img_001.png")
    evaluation = yard.models.get(model_id=model_row.id).evaluations.create(dataset=dataset_row.id)

    accepted = evaluation.upload_predictions(
        [{"item": first.id, "label": "circle", "box": (2, 2, 8, 8), "confidence": 0.5}]
    )

    assert accepted == 1
    assert Evaluation.objects.get(pk=evaluation.id).predictions.get().item_id == first.id


def test_a_prediction_on_an_unknown_item_is_refused_naming_it(yard, boxes):
    model_row, dataset_row = boxes
    evaluation = yard.models.get(model_id=model_row.id).evaluations.create(dataset=dataset_row.id)

    with pytest.raises(modelyard.errors.BadRequest, match="nope.png"):
        evaluation.upload_predictions([{"item": "nope.png", "label": "circle", "confidence": 1}])


def test_model_evaluate_runs_the_adapter_in_the_worker(live_server, celery_worker_process):
    model_row = trained_digits_model(UserFactory(username="eve"))
    token = token_create(user=model_row.created_by, name="sdk")[1]
    yard = modelyard.Client(live_server.url, token, retries=0)
    model = yard.models.get(model_id=model_row.id)

    job = model.evaluate(dataset=model.dataset).wait(timeout=120, poll=0.2, progress=False)

    assert job.status == "succeeded"
    evaluation = model.evaluations.get(evaluation_id=job.evaluation_id)
    expected, _ = measured_test_accuracy(model_row)
    assert evaluation.metrics["accuracy"] == pytest.approx(expected, abs=1e-9)
    assert evaluation.mode == "online"


def test_a_model_without_weights_cannot_be_evaluated(yard, boxes):
    model_row, _ = boxes

    with pytest.raises(modelyard.errors.BadRequest, match="train it first"):
        yard.models.get(model_id=model_row.id).evaluate()


def test_weights_alone_let_evaluate_queue_a_job(yard, boxes):
    model_row, _ = boxes
    ArtifactFactory(model=model_row)

    job = yard.models.get(model_id=model_row.id).evaluate(subset=None)

    assert (job.kind, job.status) == ("evaluate", "queued")
    assert Evaluation.objects.get(pk=job.evaluation_id).subset == ""
