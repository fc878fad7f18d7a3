"""The evaluate job's pieces without a worker: rows from predictions, batching, progress."""

import pytest

from jobs.models import Job, JobStatus
from tests.factories import ItemFactory, ModelVersionFactory
from worker import evaluating as online
from worker.predictions import clip_box, prediction_rows

pytestmark = pytest.mark.django_db


class FakeAdapter:
    """Predicts one class per image, and a label the dataset does not have."""

    batch_size = 3

    def __init__(self) -> None:
        self.batches: list[int] = []

    def predict(self, batch):
        self.batches.append(len(batch))
        return [
            [{"label": "cat", "confidence": 0.7}, {"label": "unknown", "confidence": 0.9}]
            for _ in batch
        ]


class FakeEvaluation:
    def __init__(self, dataset, subset: str = "test") -> None:
        self.dataset, self.dataset_id, self.subset = dataset, dataset.id, subset


def test_a_box_is_clipped_to_the_image_and_a_confidence_to_0_1():
    item = ItemFactory.build(width=100, height=50)
    item.id = 7
    predictions = [{"label": "a", "confidence": 1.0000001, "box": [-2, 10, 30, 60]}]

    rows = prediction_rows(item, predictions, {"a"})

    assert rows == [{"item": 7, "label": "a", "confidence": 1.0, "box": [0.0, 10.0, 28.0, 40.0]}]


def test_labels_outside_the_dataset_are_dropped():
    item = ItemFactory.build()
    item.id = 1

    rows = prediction_rows(item, [{"label": "zebra", "confidence": 0.5}], {"a"})

    assert rows == []


def test_a_box_wholly_outside_the_image_is_dropped():
    item = ItemFactory.build(width=100, height=50)
    item.id = 1
    outside = [{"label": "a", "confidence": 0.5, "box": [120, 5, 10, 10]}]

    assert clip_box([120, 5, 10, 10], 100, 50) == [100.0, 5.0, 0.0, 10.0]
    assert prediction_rows(item, outside, {"a"}) == []


def test_items_are_predicted_in_id_order_in_batches_and_stored_in_chunks(monkeypatch):
    model = ModelVersionFactory()
    items = [ItemFactory(subset="test") for _ in range(7)]
    dataset = items[0].dataset
    for item in items[1:]:
        item.dataset = dataset
        item.save()
    ItemFactory(dataset=dataset, subset="train")
    dataset.labels.create(name="cat")
    job = Job.objects.create(kind="evaluate", model=model, status=JobStatus.RUNNING)
    added: list[list[dict]] = []
    monkeypatch.setattr(online, "ROWS_PER_ADD", 4)
    monkeypatch.setattr(online, "ITEM_CHUNK", 5)
    monkeypatch.setattr(
        online.evaluation_services,
        "predictions_add",
        lambda *, evaluation, rows: added.append(rows) or len(rows),
    )
    adapter = FakeAdapter()

    stored = online.predict_items(job, FakeEvaluation(dataset), adapter)

    assert stored == 7
    assert [len(rows) for rows in added] == [4, 3]
    assert [row["item"] for rows in added for row in rows] == sorted(i.id for i in items)
    # Chunks of 5 items read from the database, each cut into batches of 3.
    assert adapter.batches == [3, 2, 2]
    job.refresh_from_db()
    assert (job.progress, job.message) == (80.0, "predicted 7 of 7 images")


def test_a_cancel_request_stops_the_predicting(monkeypatch):
    model = ModelVersionFactory()
    item = ItemFactory(subset="test")
    item.dataset.labels.create(name="cat")
    job = Job.objects.create(
        kind="evaluate", model=model, status=JobStatus.RUNNING, cancel_requested=True
    )
    monkeypatch.setattr(
        online.evaluation_services, "predictions_add", lambda *, evaluation, rows: len(rows)
    )

    with pytest.raises(online.EvaluationCancelled):
        online.predict_items(job, FakeEvaluation(item.dataset), FakeAdapter())
