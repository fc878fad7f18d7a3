"""Count grids: the counts kept at each slider step agree with counting the rows."""

import numpy as np
import pytest

from evaluation.count_grids import grid_counts, grid_step
from evaluation.models import CONFIDENCE_STEPS, THRESHOLD_KEYS, EvalCountGrid, EvalGroundTruth
from evaluation.selectors import _counted, counts_at
from evaluation.services import evaluation_compute
from tests.evaluation.evaluations.generated import detection_set

IMAGES, LABELS = 30, 3


@pytest.fixture
def computed(store):
    # Scores rounded to two places land exactly on the slider's steps: ties at the edge.
    gts, dets = detection_set(seed=8, images=IMAGES, labels=LABELS, max_gts=10, extra=5)
    stored = store(gts, dets, IMAGES, LABELS)
    evaluation_compute(evaluation=stored.evaluation)
    return stored.evaluation


def test_finishing_keeps_one_grid_per_threshold_plus_predictions_and_truths(computed):
    columns = set(
        EvalCountGrid.objects.filter(evaluation=computed).values_list("column", flat=True)
    )
    assert columns == {"predictions", "truths", *THRESHOLD_KEYS}


def test_the_grid_agrees_with_the_rows_at_every_step_and_threshold(computed):
    for key in THRESHOLD_KEYS:
        for step in range(CONFIDENCE_STEPS + 1):
            confidence = step / CONFIDENCE_STEPS
            assert grid_counts(computed, key, confidence) == _counted(computed, key, confidence)


def test_a_confidence_between_steps_is_counted_from_the_rows(computed):
    assert grid_step(0.295) is None
    assert grid_counts(computed, "50", 0.295) is None
    found = counts_at(computed, iou=0.5, min_confidence=0.295)
    expected = _counted(computed, "50", 0.295)
    assert found["tp"] == sum(one["tp"] for one in expected.values())
    assert found["fp"] == sum(one["fp"] for one in expected.values())
    # Every score sits on a step, so 0.295 counts what 0.30 does, and not what 0.29 does:
    # neither snapped down nor taken from the wrong step.
    assert found == counts_at(computed, iou=0.5, min_confidence=0.3)
    assert found != counts_at(computed, iou=0.5, min_confidence=0.29)


def test_an_url_value_parses_to_the_grids_step_exactly():
    for step in range(CONFIDENCE_STEPS + 1):
        assert grid_step(float(f"{step / CONFIDENCE_STEPS:.2f}")) == step
    assert grid_step(1.5) is None
    assert grid_step(-0.01) is None


def test_an_evaluation_finished_before_grids_were_kept_is_counted_from_the_rows(computed):
    expected = counts_at(computed, iou=0.75, min_confidence=0.4)
    EvalCountGrid.objects.filter(evaluation=computed).delete()
    assert grid_counts(computed, "75", 0.4) is None
    assert counts_at(computed, iou=0.75, min_confidence=0.4) == expected


def test_finishing_again_replaces_the_grids(computed):
    before = dict(EvalCountGrid.objects.filter(evaluation=computed).values_list("column", "counts"))
    evaluation_compute(evaluation=computed)
    after = dict(EvalCountGrid.objects.filter(evaluation=computed).values_list("column", "counts"))
    assert EvalCountGrid.objects.filter(evaluation=computed).count() == 12
    assert after == before


def test_a_grid_reads_three_small_rows(computed, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = grid_counts(computed, "50", 0.5)
    assert sum(one["tp"] + one["fn"] for one in found.values()) == computed.ground_truth_count


def test_predictions_counts_fall_as_the_confidence_rises(computed):
    grid = EvalCountGrid.objects.get(evaluation=computed, column="predictions")
    for counts in grid.counts.values():
        assert len(counts) == CONFIDENCE_STEPS + 1
        assert np.all(np.diff(counts) <= 0)
    assert sum(counts[0] for counts in grid.counts.values()) == computed.prediction_count


def test_deleting_an_item_drops_the_grids_and_the_counts_follow_the_rows(computed):
    from data.models import Item
    from data.services.datasets import item_delete
    from evaluation.selectors import errors_at

    busiest = EvalGroundTruth.objects.filter(evaluation=computed).values("item_id").first()
    item_delete(item=Item.objects.get(pk=busiest["item_id"]))

    assert not EvalCountGrid.objects.filter(evaluation=computed).exists()
    found = counts_at(computed, iou=0.5, min_confidence=0.3)
    assert found["fn"] == errors_at(computed, kind="fn", iou=0.5, min_confidence=0.3).count()
    assert found["fp"] == errors_at(computed, kind="fp", iou=0.5, min_confidence=0.3).count()
