"""Evaluations: predictions matched to ground truth once, metrics, and the FP / FN lists.

Module map (keep each under ~500 lines):
- services.py   writes: evaluation_create, predictions_add, evaluation_finish, evaluation_compute
- matching.py   COCO greedy matching at the ten IoU thresholds (numpy, per image and label)
- metrics.py    detection AP / mAP / AP50 / AP75 / recall / PR curves / confusion; classification
- selectors.py  reads: counts_at, errors_at, the summary for pages and the API
- online.py     the evaluate job: the adapter predicts the subset in a worker, then compute
- compute_task.py  the finish job: bulk SQL reads of predictions and ground truth, match, write
- reviews.py    review marks on errors (ground truth wrong / confirmed / ignore)
"""
