"""digits-mlp evaluated end to end in a real worker: the stored accuracy is the one we measure."""

import io
import tempfile
from pathlib import Path

import pytest

from data.models import Item
from demo.digits import DIGIT_LABELS
from evaluation.models import EvalPrediction, Evaluation, EvaluationStatus
from evaluation.services import model_evaluate
from jobs.models import JobStatus
from registry.models import ModelVersion
from tests.digits import DIGITS
from tests.digits import digits_model as untrained_digits_model
from tests.factories import UserFactory
from tests.workers import wait_for
from worker.adapters.digits_mlp import DigitsMLPAdapter
from worker.data import subset_data
from worker.inline import pretrain

pytestmark = pytest.mark.worker


def trained_digits_model(user) -> ModelVersion:
    """A digits-mlp version trained here (no job), on a 70/15/15 split of the digits."""
    model = untrained_digits_model(user)
    pretrain(model=model, dataset=model.dataset, say=lambda line: None)
    return model


@pytest.fixture
def digits_model(transactional_db) -> ModelVersion:
    return trained_digits_model(UserFactory())


def measured_test_accuracy(model: ModelVersion) -> tuple[float, int]:
    """The accuracy of the model's weights on the test subset, computed here."""
    configuration = {**DIGITS.configuration, **model.configuration}
    adapter = DigitsMLPAdapter(configuration=configuration, labels=DIGIT_LABELS)
    with tempfile.TemporaryDirectory() as folder:
        for artifact in model.artifacts.all():
            Path(folder, artifact.name).write_bytes(artifact.file.read())
        adapter.load(folder)
    data = subset_data(model.dataset, "test", DIGIT_LABELS)
    predicted = [found[0]["label"] for found in adapter.predict_all(data.images)]
    truth = [annotations[0]["label"] for annotations in data.annotations]
    right = sum(p == t for p, t in zip(predicted, truth, strict=True))
    return right / len(truth), len(truth)


def finished(job):
    job.refresh_from_db()
    return not job.is_active


def test_digits_mlp_evaluates_the_test_subset_in_the_worker(digits_model, celery_worker_process):
    _, log = celery_worker_process

    job = model_evaluate(model=digits_model, subset="test", user=digits_model.created_by)

    wait_for(lambda: finished(job), timeout=120, log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert evaluation.status == EvaluationStatus.SUCCEEDED, evaluation.error
    expected, count = measured_test_accuracy(digits_model)
    stored = evaluation.summary["accuracy"]
    print(f"\ndigits-mlp: stored accuracy {stored:.4f}, measured {expected:.4f}")
    # Measured 0.941 on these test digits (seed 0, the default 20 epochs); chance is 0.10.
    assert expected >= 0.9
    assert stored == pytest.approx(expected, abs=1e-9)
    # One prediction per test image, none on the other subsets.
    test_items = Item.objects.filter(dataset=digits_model.dataset, subset="test")
    predictions = EvalPrediction.objects.filter(evaluation=evaluation)
    assert predictions.count() == count == test_items.count()
    assert set(predictions.values_list("item_id", flat=True)) == set(
        test_items.values_list("id", flat=True)
    )
    assert not predictions.filter(x__isnull=False).exists()
    assert f"stored {count} predictions" in job.log


def test_a_failing_adapter_fails_the_job_and_the_evaluation(digits_model, celery_worker_process):
    _, log = celery_worker_process
    # Weights the adapter cannot read: load raises in the worker.
    for artifact in digits_model.artifacts.all():
        artifact.file.save(artifact.name, io.BytesIO(b"not weights"), save=True)

    job = model_evaluate(model=digits_model, subset="test", user=digits_model.created_by)

    wait_for(lambda: finished(job), timeout=90, log=log)
    assert job.status == JobStatus.FAILED
    assert "Traceback" in job.error
    evaluation = Evaluation.objects.get(pk=job.parameters["evaluation"])
    assert evaluation.status == EvaluationStatus.FAILED
    assert evaluation.error
