"""Box arithmetic for detection: IoU, non-maximum suppression, matching to ground truth.

Boxes are [x, y, width, height] in pixels from the top-left corner, as in COCO.
"""

from collections.abc import Sequence

import numpy as np

Box = Sequence[float]


def iou(a: Box, b: Box) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    overlap = width * height
    return overlap / (a[2] * a[3] + b[2] * b[3] - overlap)


def best_iou(box: Box, others: Sequence[Box]) -> tuple[float, int]:
    """The highest IoU of `box` with any of `others`, and that one's index (-1 if none)."""
    scores = [iou(box, other) for other in others]
    if not scores:
        return 0.0, -1
    index = int(np.argmax(scores))
    return scores[index], index


def nms(boxes: Sequence[Box], scores: Sequence[float], threshold: float) -> list[int]:
    """Indices of the boxes kept, best first: each drops the later ones it overlaps."""
    kept: list[int] = []
    for index in np.argsort(-np.asarray(scores, dtype=float), kind="stable"):
        if all(iou(boxes[index], boxes[other]) <= threshold for other in kept):
            kept.append(int(index))
    return kept


def match_count(detections: list[dict], truths: list[dict], threshold: float = 0.5) -> int:
    """True positives: detections, most confident first, each taking one unmatched truth
    of its label with IoU ≥ threshold."""
    free = list(truths)
    found = 0
    for detection in sorted(detections, key=lambda d: -d["confidence"]):
        same = [truth for truth in free if truth["label"] == detection["label"]]
        score, index = best_iou(detection["box"], [truth["box"] for truth in same])
        if score >= threshold:
            free.remove(same[index])
            found += 1
    return found


def detection_scores(
    detections: list[list[dict]], truths: list[list[dict]], threshold: float = 0.5
) -> dict[str, float]:
    """Recall and precision at an IoU threshold over a set of images."""
    hits = sum(map(match_count, detections, truths, [threshold] * len(truths)))
    n_truths = sum(len(boxes) for boxes in truths)
    n_detections = sum(len(boxes) for boxes in detections)
    return {
        "recall": hits / n_truths if n_truths else 0.0,
        "precision": hits / n_detections if n_detections else 0.0,
    }


COCO_THRESHOLDS = np.linspace(0.5, 0.95, 10)
RECALL_POINTS = np.linspace(0.0, 1.0, 101)


def mean_average_precision(
    detections: list[list[dict]], truths: list[list[dict]]
) -> dict[str, float]:
    """COCO-style mAP over IoU 0.5:0.95 (`mAP`) and at 0.5 (`mAP50`), every label alike.

    An approximation of pycocotools for a training's validation chart (no area
    ranges, no crowd boxes, no per-image cap); the evaluation reports the exact one.
    """
    labels = sorted({box["label"] for image in truths for box in image})
    if not labels:
        return {"mAP": 0.0, "mAP50": 0.0}
    table = np.array(
        [[_label_ap(detections, truths, label, t) for t in COCO_THRESHOLDS] for label in labels]
    )
    return {"mAP": float(table.mean()), "mAP50": float(table[:, 0].mean())}


def _label_ap(detections, truths, label: str, threshold: float) -> float:
    found, total = [], 0
    for image_detections, image_truths in zip(detections, truths, strict=True):
        boxes = [t["box"] for t in image_truths if t["label"] == label]
        total += len(boxes)
        mine = sorted(
            (d for d in image_detections if d["label"] == label), key=lambda d: -d["confidence"]
        )
        found.extend(_matched(mine, boxes, threshold))
    if not total:
        return 0.0
    found.sort(key=lambda pair: -pair[0])
    hits = np.cumsum([hit for _, hit in found]) if found else np.zeros(0)
    return _interpolated_ap(hits, total)


def _matched(detections: list[dict], boxes: list, threshold: float) -> list[tuple[float, bool]]:
    free = list(range(len(boxes)))
    pairs = []
    for detection in detections:
        scores = [iou(detection["box"], boxes[index]) for index in free]
        best = int(np.argmax(scores)) if scores else -1
        hit = best >= 0 and scores[best] >= threshold
        if hit:
            free.pop(best)
        pairs.append((detection["confidence"], hit))
    return pairs


def _interpolated_ap(hits: np.ndarray, total: int) -> float:
    if not len(hits):
        return 0.0
    recall = hits / total
    precision = hits / np.arange(1, len(hits) + 1)
    # Precision made monotone from the right, then read at 101 recall points.
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    at = np.searchsorted(recall, RECALL_POINTS, side="left")
    return float(
        np.where(at < len(precision), precision[np.minimum(at, len(precision) - 1)], 0).mean()
    )
