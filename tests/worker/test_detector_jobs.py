"""The `detector` package in a real worker: it learns the squares, and its boxes are reviewed.

Trained from scratch (no weights exist here) on 32 generated 64 px images, evaluated
on 16 more through the same evaluation, COCO metrics and FP/FN review page as any
box model.
"""

import re

import pytest

from comparison.models import MetricSeries
from comparison.selectors import series_points
from evaluation.models import EvalGroundTruth, EvalPrediction, Evaluation, EvaluationStatus
from evaluation.services import model_evaluate
from jobs import services as job_services
from jobs.models import JobStatus
from registry.models import ModelStatus, Role
from tests.factories import MembershipFactory, UserFactory
from tests.worker.image_models import square_model
from tests.workers import wait_for

pytestmark = pytest.mark.worker


def ended(job) -> bool:
    job.refresh_from_db()
    return not job.is_active


def values_of(model, name: str) -> list[float]:
    return series_points(MetricSeries.objects.get(model=model, name=name))["values"]


def shown(html: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}">(\d+)<', html).group(1))


def test_the_detector_learns_the_squares_and_its_boxes_go_through_the_review(
    celery_worker_process, client
):
    _, log = celery_worker_process
    model = square_model()
    user = UserFactory()
    MembershipFactory(project=model.project, user=user, role=Role.DEVELOPER)

    training = job_services.model_train(model=model, user=user)
    wait_for(lambda: ended(training), timeout=300, log=log)

    assert training.status == JobStatus.SUCCEEDED, training.error
    model.refresh_from_db()
    assert model.status == ModelStatus.TRAINED
    assert "device: cpu" in training.log
    names = set(MetricSeries.objects.filter(model=model).values_list("name", flat=True))
    assert {"loss/train", "loss/classifier", "loss/box_reg", "mAP/val", "mAP50/val"} <= names
    found = values_of(model, "mAP50/val")
    print(f"\ndetector mAP50/val per epoch: {[round(v, 3) for v in found]}")
    assert len(found) == 10
    # An untrained detector finds next to nothing; random boxes score about 0.
    assert found[0] < 0.25
    assert max(found) >= 0.5

    evaluating = model_evaluate(model=model, subset="validation", user=user)
    wait_for(lambda: ended(evaluating), timeout=120, log=log)

    assert evaluating.status == JobStatus.SUCCEEDED, evaluating.error
    evaluation = Evaluation.objects.get(pk=evaluating.parameters["evaluation"])
    assert evaluation.status == EvaluationStatus.SUCCEEDED, evaluation.error
    print(f"detector evaluation: {evaluation.summary}")
    # The kept weights are the best epoch's: the COCO evaluation agrees with its mAP50.
    assert evaluation.summary["AP50"] == pytest.approx(max(found), abs=0.1)
    assert EvalGroundTruth.objects.filter(evaluation=evaluation).count() == 16
    boxes = EvalPrediction.objects.filter(evaluation=evaluation)
    assert boxes.exists()
    assert not boxes.filter(x__isnull=True).exists()

    client.force_login(user)
    url = f"/projects/{model.project_id}/evaluations/{evaluation.id}/"
    page = client.get(url).content.decode()
    assert shown(page, "live-tp") >= 8
    for tab, count_id in (("fp", "live-fp"), ("fn", "live-fn")):
        listed = client.get(f"{url}?tab={tab}").content.decode()
        assert shown(listed, "review-list-count") == shown(page, count_id), tab
