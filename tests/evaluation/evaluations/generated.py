"""Seeded detection sets, and the same data as pycocotools sees it."""

import contextlib
import io

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from evaluation.matching import Boxes


def gt(image: int, label: int, box: list[float]) -> dict:
    """A ground truth as COCO writes it."""
    return {"image_id": image, "category_id": label, "bbox": box}


def det(image: int, label: int, box: list[float], score: float) -> dict:
    """A detection as COCO writes it."""
    return {**gt(image, label, box), "score": score}


def detection_set(
    seed: int,
    images: int = 60,
    labels: int = 4,
    max_gts: int = 8,
    extra: int = 3,
    empty_share: float = 0.1,
    no_prediction_share: float = 0.1,
    duplicates: float = 0.2,
) -> tuple[list[dict], list[dict]]:
    """(ground truths, detections) as COCO dicts: jittered copies of the truth, some with
    the wrong label, duplicates, background boxes, and scores rounded so ties happen."""
    rng = np.random.default_rng(seed)
    gts, dets = [], []
    for image in range(1, images + 1):
        count = 0 if rng.random() < empty_share else int(rng.integers(1, max_gts + 1))
        truth = [_box(rng) for _ in range(count)]
        for box in truth:
            gts.append(
                {"image_id": image, "category_id": int(rng.integers(labels)) + 1, "bbox": box}
            )
        if rng.random() < no_prediction_share:
            continue
        for gt in gts[len(gts) - count :]:
            dets += _guesses(rng, gt, labels, duplicates)
        for _ in range(int(rng.integers(0, extra + 1))):
            dets.append(_det(rng, image, int(rng.integers(labels)) + 1, _box(rng)))
    return gts, dets


def _box(rng) -> list[float]:
    x, y = rng.uniform(0, 400, 2)
    w, h = rng.uniform(4, 120, 2)
    return [float(x), float(y), float(w), float(h)]


def _det(rng, image: int, label: int, box: list[float]) -> dict:
    return {
        "image_id": image,
        "category_id": label,
        "bbox": box,
        "score": round(float(rng.random()), 2),
    }


def _guesses(rng, gt: dict, labels: int, duplicates: float) -> list[dict]:
    if rng.random() < 0.15:
        return []
    label = gt["category_id"] if rng.random() > 0.15 else int(rng.integers(labels)) + 1
    copies = 2 if rng.random() < duplicates else 1
    found = []
    for _ in range(copies):
        x, y, w, h = gt["bbox"]
        jitter = rng.normal(0, 0.08, 4) * [w, h, w, h]
        x, y = max(x + jitter[0], 0.0), max(y + jitter[1], 0.0)  # inside the image
        box = [x, y, max(w + jitter[2], 1.0), max(h + jitter[3], 1.0)]
        found.append(_det(rng, gt["image_id"], label, [float(v) for v in box]))
    return found


def as_boxes(rows: list[dict], scored: bool) -> Boxes:
    return Boxes(
        image=np.array([r["image_id"] for r in rows], dtype=np.int64),
        label=np.array([r["category_id"] for r in rows], dtype=np.int64),
        box=np.array([r["bbox"] for r in rows], dtype=float).reshape(len(rows), 4),
        order=np.arange(1, len(rows) + 1),
        score=np.array([r["score"] for r in rows], dtype=float) if scored else None,
    )


def coco_eval(gts: list[dict], dets: list[dict], images: int, labels: int) -> COCOeval:
    data = {
        "images": [{"id": i, "width": 640, "height": 640} for i in range(1, images + 1)],
        "categories": [{"id": k, "name": str(k)} for k in range(1, labels + 1)],
        "annotations": [
            {**g, "id": n, "area": g["bbox"][2] * g["bbox"][3], "iscrowd": 0}
            for n, g in enumerate(gts, start=1)
        ],
    }
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO()
        truth.dataset = data
        truth.createIndex()
        found = truth.loadRes([dict(d) for d in dets]) if dets else COCO()
        evaluation = COCOeval(truth, found, "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return evaluation


def coco_label_ap(evaluation: COCOeval, k: int) -> float | None:
    precision = evaluation.eval["precision"][:, :, k, 0, -1]
    valid = precision[precision > -1]
    return float(np.mean(valid)) if valid.size else None
