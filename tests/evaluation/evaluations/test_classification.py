"""Classification evaluations: the metrics equal scikit-learn's on the top-1 label."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from evaluation.selectors import counts_at
from evaluation.services import evaluation_compute

ITEMS, LABELS = 80, 4


def classification_set(seed: int):
    """One true label per item; zero, one or several scored labels predicted."""
    rng = np.random.default_rng(seed)
    gts, dets, truth, top = [], [], [], []
    for item in range(1, ITEMS + 1):
        label = int(rng.integers(1, LABELS + 1))
        gts.append({"image_id": item, "category_id": label, "bbox": None})
        truth.append(label)
        guesses = rng.permutation(np.arange(1, LABELS + 1))
        if rng.random() < 0.6:  # mostly right
            guesses = np.r_[label, guesses[guesses != label]]
        guesses = guesses[: int(rng.integers(0, 4))]
        scores = sorted(rng.random(len(guesses)), reverse=True)
        for guess, score in zip(guesses, scores, strict=True):
            dets.append(
                {
                    "image_id": item,
                    "category_id": int(guess),
                    "bbox": None,
                    "score": round(float(score), 3),
                }
            )
        top.append(int(guesses[0]) if len(guesses) else -1)
    return gts, dets, truth, top


@pytest.fixture
def computed(store):
    gts, dets, truth, top = classification_set(seed=4)
    stored = store(gts, dets, ITEMS, LABELS, kind="class")
    evaluation_compute(evaluation=stored.evaluation)
    stored.evaluation.refresh_from_db()
    return stored, dets, truth, top


def test_accuracy_and_averages_equal_scikit_learns(computed):
    stored, _, truth, top = computed
    summary = stored.evaluation.summary
    labels = list(range(1, LABELS + 1))
    assert summary["accuracy"] == pytest.approx(accuracy_score(truth, top))
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(
            truth, top, labels=labels, average=average, zero_division=0
        )
        assert summary[f"{average}_precision"] == pytest.approx(p)
        assert summary[f"{average}_recall"] == pytest.approx(r)
        assert summary[f"{average}_f1"] == pytest.approx(f)


def test_per_label_metrics_and_confusion_equal_scikit_learns(computed):
    stored, _, truth, top = computed
    labels = list(range(1, LABELS + 1))
    p, r, f, s = precision_recall_fscore_support(truth, top, labels=labels, zero_division=0)
    for i, label in enumerate(labels):
        row = stored.evaluation.per_label[str(label)]
        assert (row["precision"], row["recall"], row["f1"], row["support"]) == pytest.approx(
            (p[i], r[i], f[i], s[i])
        )
    expected = confusion_matrix(truth, top, labels=labels).tolist()
    assert stored.evaluation.confusion["matrix"] == expected


def test_top_2_accuracy_counts_the_second_guess(computed):
    stored, dets, truth, _ = computed
    guesses: dict[int, list] = {}
    for d in dets:
        guesses.setdefault(d["image_id"], []).append((d["score"], d["category_id"]))
    hits = [
        label in {g for _, g in sorted(guesses.get(item, []), reverse=True)[:2]}
        for item, label in enumerate(truth, start=1)
    ]
    assert stored.evaluation.summary["top2_accuracy"] == pytest.approx(np.mean(hits))


def test_counts_treat_each_scored_label_as_a_call(computed):
    stored, dets, truth, _ = computed
    c = 0.4
    right = [d for d in dets if d["score"] >= c and d["category_id"] == truth[d["image_id"] - 1]]
    found = counts_at(stored.evaluation, iou=0.75, min_confidence=c)
    assert found["tp"] == len(right)
    assert found["fp"] == sum(d["score"] >= c for d in dets) - len(right)
    assert found["fn"] == ITEMS - len(right)
