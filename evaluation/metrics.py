"""Metrics from the matches: COCO detection metrics, confusion matrices, classification.

Detection numbers follow COCOeval.accumulate / summarize (areaRng "all", maxDets
100) operation for operation, so they equal pycocotools' to rounding; the tests
hold them to 1e-6 on generated sets.
"""

from dataclasses import dataclass

import numpy as np

from evaluation.matching import IOU_THRESHOLDS, MAX_DETS, Boxes, Matches

RECALL_THRESHOLDS = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)
BACKGROUND = "background"


@dataclass
class LabelCurves:
    """COCOeval's precision (T, R) and recall (T,) of one label; None without ground truth."""

    precision: np.ndarray | None
    recall: np.ndarray | None


def detection_metrics(dets: Boxes, gts: Boxes, matches: Matches, labels: dict[int, str]) -> dict:
    """summary / per_label / pr_curves of a detection evaluation; `labels` maps id → name."""
    curves = {label: label_curves(dets, gts, matches, label) for label in labels}
    valid = [c for c in curves.values() if c.precision is not None]
    summary = _summary(valid)
    per_label = {labels[k]: _label_row(c, gts, k) for k, c in curves.items()}
    pr_curves = {labels[k]: _pr_curve(c) for k, c in curves.items() if c.precision is not None}
    return {"summary": summary, "per_label": per_label, "pr_curves": pr_curves}


def label_curves(dets: Boxes, gts: Boxes, matches: Matches, label: int) -> LabelCurves:
    npig = int(np.count_nonzero(gts.label == label))
    if npig == 0:
        return LabelCurves(None, None)  # COCOeval leaves -1 there and averages it out
    mine = np.flatnonzero((dets.label == label) & (matches.det_rank < MAX_DETS))
    # COCOeval concatenates images in id order, each by score, then sorts stably by score.
    order = mine[np.lexsort((matches.det_rank[mine], dets.image[mine], -dets.score[mine]))]
    tps = matches.det_match[:, order] >= 0
    tp_sum = np.cumsum(tps, axis=1).astype(float)
    fp_sum = np.cumsum(~tps, axis=1).astype(float)
    precision = np.zeros((len(IOU_THRESHOLDS), len(RECALL_THRESHOLDS)))
    recall = np.zeros(len(IOU_THRESHOLDS))
    for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum, strict=True)):
        precision[t], recall[t] = _interpolated(tp, fp, npig)
    return LabelCurves(precision, recall)


def _interpolated(tp: np.ndarray, fp: np.ndarray, npig: int) -> tuple[np.ndarray, float]:
    if len(tp) == 0:
        return np.zeros(len(RECALL_THRESHOLDS)), 0.0
    rc = tp / npig
    pr = tp / (fp + tp + np.spacing(1))
    pr = np.maximum.accumulate(pr[::-1])[::-1]  # the precision envelope
    inds = np.searchsorted(rc, RECALL_THRESHOLDS, side="left")
    q = np.where(inds < len(pr), pr[inds.clip(max=len(pr) - 1)], 0.0)
    return q, float(rc[-1])


def _summary(valid: list[LabelCurves]) -> dict:
    if not valid:
        return {"mAP": None, "AP50": None, "AP75": None, "recall": None}
    precision = np.stack([c.precision for c in valid], axis=-1)  # (T, R, K)
    recall = np.stack([c.recall for c in valid], axis=-1)
    t50, t75 = np.where(IOU_THRESHOLDS == 0.5)[0], np.where(IOU_THRESHOLDS == 0.75)[0]
    return {
        "mAP": float(np.mean(precision)),
        "AP50": float(np.mean(precision[t50])),
        "AP75": float(np.mean(precision[t75])),
        "recall": float(np.mean(recall)),
    }


def _label_row(curves: LabelCurves, gts: Boxes, label: int) -> dict:
    support = int(np.count_nonzero(gts.label == label))
    if curves.precision is None:
        return {"AP": None, "AP50": None, "AP75": None, "recall": None, "support": 0}
    return {
        "AP": float(np.mean(curves.precision)),
        "AP50": float(np.mean(curves.precision[0])),
        "AP75": float(np.mean(curves.precision[5])),
        "recall": float(np.mean(curves.recall)),
        "support": support,
    }


def _pr_curve(curves: LabelCurves) -> dict:
    """The 101-point interpolated curve at IoU 0.5, as COCO draws it."""
    return {
        "recall": [round(float(r), 4) for r in RECALL_THRESHOLDS],
        "precision": [round(float(p), 6) for p in curves.precision[0]],
    }


def detection_confusion(
    dets: Boxes, gts: Boxes, matches: Matches, labels: dict[int, str], min_confidence: float
) -> dict:
    """Rows: ground truth, columns: prediction, each with a last "background" entry.

    At IoU 0.5 and `min_confidence`: a match counts on the diagonal; a false positive
    whose best overlap (any label) is ≥ 0.5 with another label's ground truth counts in
    that row; other false positives in the background row; a missed ground truth in
    the background column unless such a wrong-label prediction already covers it.
    """
    ids = list(labels)
    index = {label: i for i, label in enumerate(ids)}
    bg = len(ids)
    matrix = np.zeros((bg + 1, bg + 1), dtype=np.int64)
    kept = dets.score >= min_confidence
    matched = kept & (matches.det_match[0] >= 0)
    pred_col = _indexes(dets.label, index, bg)
    gt_row = _indexes(gts.label, index, bg)
    np.add.at(matrix, (pred_col[matched], pred_col[matched]), 1)
    fp = kept & ~matched
    other = fp & (matches.det_iou_same < 0.5) & (matches.det_iou_any >= 0.5)
    np.add.at(matrix, (gt_row[matches.det_best_gt_any[other]], pred_col[other]), 1)
    np.add.at(matrix, (np.full(np.count_nonzero(fp & ~other), bg), pred_col[fp & ~other]), 1)
    covered = np.zeros(len(gts), dtype=bool)
    covered[matches.det_best_gt_any[other]] = True
    missed = ~(np.nan_to_num(matches.gt_conf[0], nan=-1.0) >= min_confidence) & ~covered
    np.add.at(matrix, (gt_row[missed], np.full(np.count_nonzero(missed), bg)), 1)
    return _confusion_body(ids, labels, matrix, min_confidence)


def _indexes(values: np.ndarray, index: dict[int, int], missing: int) -> np.ndarray:
    return np.array([index.get(int(v), missing) for v in values], dtype=np.int64)


def _confusion_body(ids, labels, matrix, min_confidence) -> dict:
    return {
        "labels": [labels[k] for k in ids] + [BACKGROUND],
        "rows": "ground truth",
        "columns": "prediction",
        "iou": 0.5,
        "min_confidence": min_confidence,
        "matrix": matrix.tolist(),
    }


def classification_metrics(
    truth: np.ndarray, scores: list[list[tuple[int, float]]], labels: dict[int, str]
) -> dict:
    """`truth[i]`: item i's label id; `scores[i]`: its (label id, confidence) predictions.

    Top-1 is the highest confidence (first given on a tie); an item without a
    prediction counts as wrong (predicted label -1).
    """
    from sklearn.metrics import confusion_matrix  # imported here: slow, and only needed here

    ids = list(labels)
    top = [sorted(s, key=lambda p: -p[1]) for s in scores]
    predicted = np.array([s[0][0] if s else -1 for s in top], dtype=np.int64)
    summary = _classification_summary(truth, predicted, ids)
    summary.update(_top_k(truth, top))
    per_label = _per_label(truth, predicted, ids, labels)
    matrix = confusion_matrix(truth, predicted, labels=ids) if len(truth) else np.zeros((0, 0))
    confusion = {
        "labels": [labels[k] for k in ids],
        "rows": "ground truth",
        "columns": "prediction",
        "matrix": np.asarray(matrix).tolist(),
    }
    return {"summary": summary, "per_label": per_label, "confusion": confusion, "pr_curves": {}}


def _classification_summary(truth, predicted, ids) -> dict:
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    if len(truth) == 0:
        return {"accuracy": None}
    summary = {"accuracy": float(accuracy_score(truth, predicted))}
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(
            truth, predicted, labels=ids, average=average, zero_division=0
        )
        summary.update({f"{average}_precision": p, f"{average}_recall": r, f"{average}_f1": f})
    return {key: float(value) for key, value in summary.items()}


def _per_label(truth, predicted, ids, labels) -> dict:
    from sklearn.metrics import precision_recall_fscore_support

    if len(truth) == 0:
        return {}
    p, r, f, s = precision_recall_fscore_support(
        truth, predicted, labels=ids, average=None, zero_division=0
    )
    return {
        labels[k]: {
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, k in enumerate(ids)
    }


def _top_k(truth, top) -> dict:
    """Top-k accuracy for the k the predictions allow (k up to 5, only where some item has k)."""
    most = max((len(s) for s in top), default=0)
    found = {}
    for k in range(2, min(most, 5) + 1):
        hits = [t in {label for label, _ in s[:k]} for t, s in zip(truth, top, strict=True)]
        found[f"top{k}_accuracy"] = float(np.mean(hits))
    return found
