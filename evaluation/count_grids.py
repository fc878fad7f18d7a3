"""The count grids of an evaluation (see evaluation.models.count_grids): built from the
arrays matching produced, read by counts_at and by the review page's paginator.

A grid answers only a confidence on the slider's steps, compared exactly as the
database compares it (k / CONFIDENCE_STEPS is the same float a URL's "0.29" parses
to); anything else is counted from the rows by the caller.
"""

import numpy as np
from django.db.models import Q

from evaluation.matching import Boxes, Matches
from evaluation.models import CONFIDENCE_STEPS, THRESHOLD_KEYS, EvalCountGrid, Evaluation
from evaluation.models.count_grids import PREDICTIONS, TRUTHS

EDGES = np.arange(CONFIDENCE_STEPS + 1) / CONFIDENCE_STEPS


def grid_step(confidence: float) -> int | None:
    """The slider step `confidence` sits on exactly, or None between steps."""
    step = round(confidence * CONFIDENCE_STEPS)
    return step if 0 <= step <= CONFIDENCE_STEPS and EDGES[step] == confidence else None


def build_count_grids(evaluation: Evaluation, dets: Boxes, gts: Boxes, m: Matches) -> list:
    """The unsaved grid rows of a finished evaluation, one per column."""
    labels, totals = np.unique(gts.label, return_counts=True)
    grids = {
        PREDICTIONS: _reaching(dets.label, dets.score),
        TRUTHS: {
            str(label): [n] for label, n in zip(labels.tolist(), totals.tolist(), strict=True)
        },
    }
    for t, key in enumerate(THRESHOLD_KEYS):
        grids[key] = _reaching(gts.label, m.gt_conf[t])
    return [
        EvalCountGrid(evaluation=evaluation, column=column, counts=counts)
        for column, counts in grids.items()
    ]


def _reaching(labels: np.ndarray, scores: np.ndarray) -> dict[str, list[int]]:
    """Per label, how many scores are >= each edge (NaN, "never matched", reaches none)."""
    counts = {}
    for label in np.unique(labels):
        mine = scores[labels == label]
        mine = np.sort(mine[~np.isnan(mine)])
        reaching = len(mine) - np.searchsorted(mine, EDGES, side="left")
        counts[str(int(label))] = reaching.tolist()
    return counts


def grid_counts(evaluation: Evaluation, key: str, confidence: float) -> dict[int, dict] | None:
    """{label id: {"tp", "fp", "fn"}} at (threshold `key`, `confidence`) from the grids,
    or None when the confidence is between steps or the evaluation has no grids."""
    step = grid_step(confidence)
    if step is None:
        return None
    rows = dict(
        EvalCountGrid.objects.filter(
            evaluation=evaluation, column__in=(PREDICTIONS, TRUTHS, key)
        ).values_list("column", "counts")
    )
    if len(rows) < 3:
        return None  # finished before grids were kept
    return _per_label(rows[PREDICTIONS], rows[TRUTHS], rows[key], step)


def _per_label(predictions: dict, truths: dict, matched: dict, step: int) -> dict[int, dict]:
    per_label = {}
    for label in truths.keys() | predictions.keys():
        tp = matched.get(label, [0] * (step + 1))[step]
        reached = predictions.get(label, [0] * (step + 1))[step]
        total = truths.get(label, [0])[0]
        if total or reached:
            per_label[int(label)] = {"tp": tp, "fp": reached - tp, "fn": total - tp}
    return per_label


def count_grids_forget(*, item_ids=(), label_ids=()) -> int:
    """Drop the grids of the evaluations holding rows of these items or labels, before
    those rows go with them: counting the rows is then right where a grid would not be.
    Returns how many grids went."""
    from evaluation.models import EvalGroundTruth, EvalPrediction

    touched = Q(item_id__in=list(item_ids)) | Q(label_id__in=list(label_ids))
    evaluations = (
        EvalGroundTruth.objects.filter(touched)
        .values("evaluation_id")
        .union(EvalPrediction.objects.filter(touched).values("evaluation_id"))
    )
    ids = [row["evaluation_id"] for row in evaluations]
    deleted, _ = EvalCountGrid.objects.filter(evaluation_id__in=ids).delete()
    return deleted
