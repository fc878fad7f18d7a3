"""Which evaluations take predictions: created ones, and online ones while their job runs."""

import pytest
from django.core.exceptions import ValidationError

from evaluation.models import EvaluationStatus
from evaluation.services import evaluation_create, predictions_add
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation_of(cast):
    dataset = DatasetFactory(project=cast.project)
    label = LabelFactory(dataset=dataset, name="cat")
    AnnotationFactory(item=ItemFactory(dataset=dataset, name="a.png", subset="test"), label=label)
    model = ModelVersionFactory(project=cast.project, package=PackageFactory(output_type="class"))

    def make(mode: str, status: str):
        evaluation = evaluation_create(model=model, dataset=dataset, user=None, mode=mode)
        evaluation.status = status
        evaluation.save(update_fields=["status"])
        return evaluation

    return make


ROW = {"item": "a.png", "label": "cat", "confidence": 0.9}


def test_an_online_evaluation_takes_its_jobs_predictions_while_running(evaluation_of):
    evaluation = evaluation_of("online", EvaluationStatus.RUNNING)

    assert predictions_add(evaluation=evaluation, rows=[ROW]) == 1


@pytest.mark.parametrize(
    ("mode", "status"),
    [
        ("offline", EvaluationStatus.RUNNING),
        ("offline", EvaluationStatus.SUCCEEDED),
        ("online", EvaluationStatus.SUCCEEDED),
        ("online", EvaluationStatus.QUEUED),
    ],
)
def test_other_evaluations_refuse_predictions_naming_their_status(evaluation_of, mode, status):
    evaluation = evaluation_of(mode, status)

    with pytest.raises(ValidationError, match=f"The evaluation is {status}"):
        predictions_add(evaluation=evaluation, rows=[ROW])
    assert evaluation.predictions.count() == 0
