"""Our detection metrics against pycocotools' COCOeval and faster-coco-eval.

    .venv/bin/python bench/coco_metrics.py [--images 5000] [--seed 0]

A seeded set of `--images` images (about 20 detections each, so ~100,000 for 5,000
images, 20 labels, crowded and empty images, duplicates, wrong labels) is evaluated
in memory, no database, by the three; prints each one's time and mAP / AP50 / AP75 /
AR@100. Our time is matching at the ten IoU thresholds plus the metrics.
"""

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = 20


def generated(images: int, seed: int) -> tuple[list[dict], list[dict]]:
    rng = np.random.default_rng(seed)
    gts, dets = [], []
    for image in range(1, images + 1):
        count = 0 if rng.random() < 0.05 else int(rng.integers(1, 16))
        for _ in range(count):
            box = [*rng.uniform(0, 500, 2), *rng.uniform(8, 140, 2)]
            gts.append(
                {
                    "image_id": image,
                    "category_id": int(rng.integers(1, LABELS + 1)),
                    "bbox": [float(v) for v in box],
                }
            )
        dets += _detections(rng, image, gts[len(gts) - count :])
    return gts, dets


def _detections(rng, image: int, truths: list[dict]) -> list[dict]:
    found = []
    for gt in truths:
        for _ in range(int(rng.choice([0, 1, 1, 1, 2]))):
            x, y, w, h = gt["bbox"]
            jitter = rng.normal(0, 0.1, 4) * [w, h, w, h]
            label = gt["category_id"] if rng.random() > 0.1 else int(rng.integers(1, LABELS + 1))
            box = [x + jitter[0], y + jitter[1], max(w + jitter[2], 2), max(h + jitter[3], 2)]
            found.append(_det(rng, image, label, box))
    for _ in range(int(rng.integers(8, 19))):
        box = [*rng.uniform(0, 500, 2), *rng.uniform(8, 140, 2)]
        found.append(_det(rng, image, int(rng.integers(1, LABELS + 1)), box))
    return found


def _det(rng, image: int, label: int, box) -> dict:
    score = round(float(rng.random()), 3)
    return {
        "image_id": image,
        "category_id": label,
        "bbox": [float(v) for v in box],
        "score": score,
    }


def coco_dataset(gts: list[dict], images: int) -> dict:
    return {
        "images": [{"id": i, "width": 640, "height": 640} for i in range(1, images + 1)],
        "categories": [{"id": k, "name": str(k)} for k in range(1, LABELS + 1)],
        "annotations": [
            {**g, "id": n, "area": g["bbox"][2] * g["bbox"][3], "iscrowd": 0}
            for n, g in enumerate(gts, start=1)
        ],
    }


def run_cocoeval(coco_module, eval_class, data: dict, dets: list[dict]) -> tuple[float, list]:
    with contextlib.redirect_stdout(io.StringIO()):
        truth = coco_module.COCO()
        truth.dataset = data
        truth.createIndex()
        found = truth.loadRes([dict(d) for d in dets])
        start = time.perf_counter()
        evaluation = eval_class(truth, found, "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
        took = time.perf_counter() - start
    return took, [evaluation.stats[i] for i in (0, 1, 2, 8)]


def run_ours(gts: list[dict], dets: list[dict]) -> tuple[float, list]:
    from evaluation.matching import Boxes, match
    from evaluation.metrics import detection_metrics

    def boxes(rows, scored):
        return Boxes(
            image=np.array([r["image_id"] for r in rows]),
            label=np.array([r["category_id"] for r in rows]),
            box=np.array([r["bbox"] for r in rows], dtype=float),
            order=np.arange(1, len(rows) + 1),
            score=np.array([r["score"] for r in rows]) if scored else None,
        )

    truth, found = boxes(gts, False), boxes(dets, True)
    start = time.perf_counter()
    result = detection_metrics(
        found, truth, match(found, truth), {k: str(k) for k in range(1, LABELS + 1)}
    )
    took = time.perf_counter() - start
    summary = result["summary"]
    return took, [summary[key] for key in ("mAP", "AP50", "AP75", "recall")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    gts, dets = generated(options.images, options.seed)
    print(f"{options.images} images, {len(gts)} ground truths, {len(dets)} detections")
    data = coco_dataset(gts, options.images)
    import faster_coco_eval
    import pycocotools.coco
    import pycocotools.cocoeval

    runs = {
        "pycocotools COCOeval": lambda: run_cocoeval(
            pycocotools.coco, pycocotools.cocoeval.COCOeval, data, dets
        ),
        "faster-coco-eval": lambda: run_cocoeval(
            faster_coco_eval, faster_coco_eval.COCOeval_faster, data, dets
        ),
        "modelyard (matching + metrics)": lambda: run_ours(gts, dets),
    }
    print(f"{'':32} {'seconds':>8} {'mAP':>10} {'AP50':>10} {'AP75':>10} {'AR@100':>10}")
    for name, run in runs.items():
        took, stats = run()
        print(f"{name:32} {took:8.2f} " + " ".join(f"{value:10.6f}" for value in stats))


if __name__ == "__main__":
    main()
