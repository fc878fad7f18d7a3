"""regression_diff equals a brute-force comparison of every stored row, in Python."""

from collections import Counter, defaultdict

import numpy as np
import pytest

from evaluation.models import EvalGroundTruth, EvalPrediction
from evaluation.regressions import CHANGES, changed_truths, diff_scope, regression_diff
from evaluation.selectors import snap_iou
from tests.evaluation.diff.conftest import generated_pair
from tests.evaluation.review.conftest import prediction
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _truths(evaluation, key: str) -> dict:
    rows = EvalGroundTruth.objects.filter(evaluation=evaluation)
    return {
        row["annotation_id"]: row
        for row in rows.values("annotation_id", "item_id", "label_id", f"conf_{key}")
    }


def _false_positives(evaluation, key: str, confidence: float) -> Counter:
    rows = EvalPrediction.objects.filter(evaluation=evaluation).values(
        "item_id", "label_id", "confidence", f"match_{key}"
    )
    return Counter(
        (row["item_id"], row["label_id"])
        for row in rows
        if row["confidence"] >= confidence and row[f"match_{key}"] is None
    )


def _truth_change(now: dict, before: dict | None, key: str, confidence: float) -> str | None:
    if before is None or before["label_id"] != now["label_id"]:
        return None
    found = [row[f"conf_{key}"] is not None and row[f"conf_{key}"] >= confidence
             for row in (before, now)]  # fmt: skip
    return {(True, False): "regressed", (False, True): "fixed"}.get(tuple(found))


def brute_force(pair, iou: float, confidence: float, label_id=None) -> tuple[dict, dict]:
    """(per label id, per item id) → Counter of changes, every row read and compared."""
    _, key = snap_iou(iou)
    per_label, per_item = defaultdict(Counter), defaultdict(Counter)
    before = _truths(pair.baseline, key)
    for annotation, now in _truths(pair.current, key).items():
        change = _truth_change(now, before.get(annotation), key, confidence)
        if change and label_id in (None, now["label_id"]):
            per_label[now["label_id"]][change] += 1
            per_item[now["item_id"]][change] += 1
    fp_now = _false_positives(pair.current, key, confidence)
    fp_before = _false_positives(pair.baseline, key, confidence)
    for item_id, label in fp_now.keys() | fp_before.keys():
        difference = fp_now[(item_id, label)] - fp_before[(item_id, label)]
        if difference and label_id in (None, label):
            change = "new_fp" if difference > 0 else "fp_gone"
            per_label[label][change] += abs(difference)
            per_item[item_id][change] += abs(difference)
    return per_label, per_item


def as_counts(counter: Counter) -> dict:
    return {change: counter[change] for change in CHANGES}


def worst_first(per_item: dict, change: str | None) -> list[int]:
    def rank(item_id):
        counts = per_item[item_id]
        if change:
            return (-counts[change], item_id)
        return (
            -(counts["regressed"] + counts["new_fp"]),
            -(counts["fixed"] + counts["fp_gone"]),
            item_id,
        )

    return sorted((i for i in per_item if not change or per_item[i][change]), key=rank)


def check_pair(pair, iou: float, confidence: float, label_id, change) -> None:
    per_label, per_item = brute_force(pair, iou, confidence, label_id)
    diff = regression_diff(
        pair.current,
        pair.baseline,
        iou=iou,
        min_confidence=confidence,
        label_id=label_id,
        change=change,
    )
    expected_items = worst_first(per_item, change)

    rows = diff.items[0 : diff.items.count()]

    assert diff.per_label == {label: as_counts(counts) for label, counts in per_label.items()}
    totals = sum(per_label.values(), Counter())
    assert diff.totals == as_counts(totals)
    assert [row.item_id for row in rows] == expected_items
    assert {row.item_id: row.counts for row in rows} == {
        item_id: as_counts(per_item[item_id]) for item_id in expected_items
    }


@pytest.mark.parametrize("kind", ["box", "class"])
@pytest.mark.parametrize("seed", [3, 11])
def test_it_equals_a_brute_force_comparison_at_random_pairs(cast, kind, seed):
    pair = generated_pair(cast, kind, seed)
    rng = np.random.default_rng(seed + 100)
    label_ids = list(pair.labels.values())
    for _ in range(6):
        iou = float(rng.uniform(0.45, 1.0)) if kind == "box" else 0.5
        confidence = round(float(rng.uniform(0, 1)), 2)
        label_id = label_ids[int(rng.integers(len(label_ids)))] if rng.random() < 0.3 else None
        change = CHANGES[int(rng.integers(len(CHANGES)))] if rng.random() < 0.4 else None
        check_pair(pair, iou, confidence, label_id, change)


def test_the_generated_pairs_do_change(cast):
    """So the comparison above compares something: every kind of change happens."""
    pair = generated_pair(cast, "box", seed=3)

    diff = regression_diff(pair.current, pair.baseline, iou=0.5, min_confidence=0.3)

    assert all(diff.totals[change] > 0 for change in CHANGES), diff.totals


def test_a_page_of_items_is_a_slice_of_the_whole_list(cast):
    pair = generated_pair(cast, "box", seed=11)
    items = regression_diff(pair.current, pair.baseline, min_confidence=0.2).items
    everything = items[0 : items.count()]

    assert items[3:8] == everything[3:8]
    assert items[items.count() : items.count() + 5] == []
    assert items.count() == len(everything) > 8


def test_the_page_read_with_the_counts_is_the_page_read_alone(cast, django_assert_num_queries):
    pair = generated_pair(cast, "box", seed=11)
    alone = regression_diff(pair.current, pair.baseline, min_confidence=0.2).items

    with django_assert_num_queries(1):
        diff = regression_diff(pair.current, pair.baseline, min_confidence=0.2, page=slice(5, 10))
        rows, shorter = diff.items[5:10], diff.items[5:7]

    assert rows == alone[5:10]
    assert shorter == rows[:2]
    assert diff.items.count() == alone.count()


def test_it_compares_an_evaluation_with_itself_as_no_change(cast):
    pair = generated_pair(cast, "box", seed=3)

    diff = regression_diff(pair.current, pair.current, iou=0.7, min_confidence=0.1)

    assert diff.totals == dict.fromkeys(CHANGES, 0)
    assert diff.items.count() == 0


def test_the_hand_built_scene_has_its_documented_changes(scene):
    diff = regression_diff(scene.current, scene.baseline, iou=0.5, min_confidence=0.0)

    assert diff.totals == {"regressed": 1, "fixed": 1, "new_fp": 2, "fp_gone": 1}
    assert diff.per_label[scene.cat.id] == {"regressed": 1, "fixed": 0, "new_fp": 0, "fp_gone": 1}
    assert diff.per_label[scene.dog.id] == {"regressed": 0, "fixed": 1, "new_fp": 2, "fp_gone": 0}
    names = {item.id: name for name, item in scene.items.items()}
    assert [names[row.item_id] for row in diff.items[0:10]] == ["c", "a", "b", "d"]


def test_a_higher_confidence_turns_a_weak_baseline_match_into_a_fix(scene):
    diff = regression_diff(scene.current, scene.baseline, iou=0.5, min_confidence=0.5)

    assert diff.totals == {"regressed": 1, "fixed": 2, "new_fp": 2, "fp_gone": 0}


def test_past_the_baselines_iou_the_regression_is_gone(scene):
    diff = regression_diff(scene.current, scene.baseline, iou=0.86, min_confidence=0.0)

    assert diff.totals["regressed"] == 0
    assert diff.iou == 0.85


def test_changed_truths_are_the_boxes_to_draw_with_their_change(scene):
    scope = diff_scope(scene.current, scene.baseline, iou=0.5, min_confidence=0.0)
    item_ids = {item.id for item in scene.items.values()}

    rows = changed_truths(scope, item_ids)

    found = {(row.item_id, row.label_id, row.change) for row in rows}
    a, b = scene.items["a"], scene.items["b"]
    assert found == {(a.id, scene.cat.id, "regressed"), (b.id, scene.dog.id, "fixed")}
    assert all(row.evaluation_id == scene.current.id for row in rows)


def test_an_unknown_change_is_refused_before_any_sql(scene):
    with pytest.raises(ValueError, match="change is one of"):
        regression_diff(scene.current, scene.baseline, change="regressed; DROP TABLE x")


def test_only_the_items_both_evaluations_cover_have_false_positives_compared(scene):
    """The baseline saw the test subset only: a false positive elsewhere is not new."""
    scene.baseline.subset = "test"
    scene.baseline.save()
    for item in scene.items.values():
        item.subset = "test"
        item.save()
    outside = ItemFactory(dataset=scene.current.dataset, subset="validation")
    prediction(scene.current, outside, scene.dog, 0.9, (1, 1, 8, 8))

    diff = regression_diff(scene.current, scene.baseline)

    assert diff.totals == {"regressed": 1, "fixed": 1, "new_fp": 2, "fp_gone": 1}
