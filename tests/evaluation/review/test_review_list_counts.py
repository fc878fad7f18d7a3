"""On a computed evaluation, the list's count (taken from the counts above it when no
filter but the label narrows it) agrees with the rows, and misses come most confident
first: the order the evalgt_missed_* indexes serve."""

import numpy as np
import pytest

from evaluation.models import EvalGroundTruth
from evaluation.selectors import errors_at
from evaluation.services import evaluation_compute
from tests.evaluation.evaluations.conftest import store_set
from tests.evaluation.evaluations.generated import detection_set
from tests.evaluation.review.conftest import review_url

HTMX = {"HTTP_HX_REQUEST": "true"}
IMAGES, LABELS = 25, 3


@pytest.fixture
def computed(cast):
    gts, dets = detection_set(seed=5, images=IMAGES, labels=LABELS, max_gts=8, extra=4)
    stored = store_set(cast.project, gts, dets, IMAGES, LABELS)
    evaluation_compute(evaluation=stored.evaluation)
    return stored


@pytest.fixture
def viewer(client, cast):
    client.force_login(cast.viewer)
    return client


@pytest.mark.parametrize("tab", ["fp", "fn"])
@pytest.mark.parametrize("seed", range(4))
def test_the_list_count_agrees_with_the_rows_it_pages(viewer, computed, tab, seed):
    rng = np.random.default_rng(seed)
    iou, conf = float(rng.choice([0.5, 0.65, 0.8, 0.95])), round(float(rng.random()), 2)
    label = computed.labels[int(rng.integers(1, LABELS + 1))]
    for query in (
        f"?tab={tab}&iou={iou}&conf={conf}",
        f"?tab={tab}&iou={iou}&conf={conf}&label={label}",
    ):
        response = viewer.get(review_url(computed.evaluation, query=query), **HTMX)
        label_id = label if "label" in query else None
        rows = errors_at(
            computed.evaluation, kind=tab, iou=iou, min_confidence=conf, label_id=label_id
        )
        assert response.context["page"].paginator.count == len(list(rows))


def test_misses_come_most_confident_first_then_the_never_matched(computed):
    rows = list(errors_at(computed.evaluation, kind="fn", iou=0.75, min_confidence=0.6))
    truths = EvalGroundTruth.objects.filter(evaluation=computed.evaluation)
    missed = [gt for gt in truths if gt.conf_75 is None or gt.conf_75 < 0.6]
    expected = sorted(missed, key=lambda gt: (gt.conf_75 if gt.conf_75 is not None else -1, gt.id))
    assert [row.id for row in rows] == [gt.id for gt in reversed(expected)]
    assert any(gt.conf_75 is not None for gt in missed)
    assert any(gt.conf_75 is None for gt in missed)
    ascending = errors_at(
        computed.evaluation, kind="fn", iou=0.75, min_confidence=0.6, order="confidence"
    )
    assert [row.id for row in ascending] == [gt.id for gt in expected]
