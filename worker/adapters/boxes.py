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
