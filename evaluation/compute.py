"""Finishing an evaluation (in a worker job): snapshot the ground truth, match, store, metrics.

Rows move in bulk: the ground truth is copied by one INSERT ... SELECT, predictions
are read with a plain cursor into numpy, and the matches go back by chunked
UPDATEs (from unnest() arrays on PostgreSQL) touching only the rows that overlap
something; a row that overlaps nothing keeps its defaults.
"""

import numpy as np
from django.db import connection, transaction

from data.models import Annotation, Item
from evaluation import metrics
from evaluation.bulk_sql import floats, ids, insert_rows, update_rows
from evaluation.count_grids import build_count_grids
from evaluation.matching import Boxes, Matches, match
from evaluation.models import (
    IOU_THRESHOLDS,
    THRESHOLD_KEYS,
    EvalCountGrid,
    EvalGroundTruth,
    EvalPrediction,
    Evaluation,
)


def compute(evaluation: Evaluation, say) -> dict:
    """Everything evaluation_compute stores; returns the Evaluation fields to update.

    The ground truth is matched before it is copied, so each of its rows is written
    once, complete, with ids reserved beforehand for the predictions to point at.
    """
    say(5, "reading the ground truth and the predictions")
    annotation_ids, gts = _load_annotations(evaluation)
    pred_ids, dets = _load_predictions(evaluation)
    say(25, f"matching {len(pred_ids)} predictions to {len(annotation_ids)} ground truths")
    matches = match(dets, gts)
    say(50, "storing the matches")
    with transaction.atomic():
        delete_rows_of(EvalGroundTruth, evaluation)  # a redelivered task's first attempt
        order = _insert_order(matches)
        gt_ids = np.empty(len(order), dtype=np.int64)
        gt_ids[order] = _reserve_ids(EvalGroundTruth, len(order))
        columns = _ground_truth_columns(evaluation, gt_ids, annotation_ids, gts, dets, matches)
        insert_rows(EvalGroundTruth, [column[order] for column in columns])
        _store_predictions(pred_ids, gt_ids, matches)
        EvalCountGrid.objects.filter(evaluation=evaluation).delete()
        EvalCountGrid.objects.bulk_create(build_count_grids(evaluation, dets, gts, matches))
    _analyze()
    say(85, "computing the metrics")
    fields = _metrics(evaluation, dets, gts, matches)
    fields.update(
        item_count=_items(evaluation).count(),
        prediction_count=len(pred_ids),
        ground_truth_count=len(gt_ids),
    )
    return fields


def _analyze() -> None:
    """Fresh planner statistics: after a million new rows the old ones make PostgreSQL
    expect a dozen and pick plans that read every row for one page of errors."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (EvalPrediction, EvalGroundTruth):
            cursor.execute(f"ANALYZE {_table(model)}")


def delete_rows_of(model, evaluation: Evaluation) -> None:
    """Delete a million rows in SQL: Django's cascade would load each one to follow the
    rows pointing at them (review marks), so those go first, by their own query."""
    for relation in model._meta.related_objects:
        lookup = {f"{relation.field.name}__evaluation": evaluation}
        relation.related_model.objects.filter(**lookup).delete()
    rows = model.objects.filter(evaluation=evaluation)
    rows._raw_delete(using=rows.db)


def _items(evaluation: Evaluation):
    items = Item.objects.filter(dataset_id=evaluation.dataset_id)
    return items.filter(subset=evaluation.subset) if evaluation.subset else items


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _load_annotations(evaluation: Evaluation) -> tuple[np.ndarray, Boxes]:
    """The ground truth of the evaluated items, in annotation id order (COCO's order)."""
    subset = "AND i.subset = %s" if evaluation.subset else ""
    params = [evaluation.dataset_id, *([evaluation.subset] if evaluation.subset else [])]
    rows = _rows(
        f"""SELECT a.id, a.item_id, a.label_id, a.x, a.y, a.w, a.h
        FROM {_table(Annotation)} a JOIN {_table(Item)} i ON i.id = a.item_id
        WHERE i.dataset_id = %s {subset} AND a.model_id IS NULL AND a.kind = %s
        ORDER BY a.id""",
        [*params, evaluation.kind],
    )
    ids = rows[:, 0].astype(np.int64)
    return ids, _boxes(evaluation, rows, ids)


def _rows(sql: str, params: list) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # None (a classification row's box) becomes NaN.
    return np.array(rows, dtype=float).reshape(len(rows), 7)


def _reserve_ids(model, count: int) -> np.ndarray:
    """`count` fresh primary keys, increasing, so rows can be written with their ids."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return np.sort(np.array([row[0] for row in cursor.fetchall()], dtype=np.int64))
        # SQLite: the write lock this transaction holds keeps the range ours.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(model)}")
        start = cursor.fetchone()[0] + 1
    return np.arange(start, start + count, dtype=np.int64)


def _insert_order(m: Matches) -> np.ndarray:
    """Ground-truth positions in the order their rows are written (and numbered): by
    the confidence that matched them at IoU .50, highest first, then the missed.

    That is the order of the evalgt_missed_* indexes, nearly so at every threshold (the
    same prediction usually matches at several), so each index grows at one end
    instead of taking 400,000 entries at random places: five times faster here.
    """
    return np.argsort(-np.nan_to_num(m.gt_conf[0], nan=-1.0), kind="stable")


def _ground_truth_columns(evaluation, gt_ids, annotation_ids, gts: Boxes, dets: Boxes, m):
    return [
        ids("id", gt_ids),
        ids("evaluation_id", np.full(len(gt_ids), evaluation.pk)),
        ids("item_id", gts.image),
        ids("annotation_id", annotation_ids),
        ids("label_id", gts.label),
        *(floats(name, values) for name, values in _box_columns(evaluation, gts)),
        *(floats(f"conf_{key}", m.gt_conf[t]) for t, key in enumerate(THRESHOLD_KEYS)),
        floats("best_iou_any", m.gt_best_iou_any),
        ids("best_label_any_id", _looked_up(dets.label, m.gt_best_det_any)),
    ]


def _box_columns(evaluation: Evaluation, gts: Boxes):
    """x, y, w, h as stored: none for classification (its boxes only stand in for the item)."""
    for index, name in enumerate("xywh"):
        values = gts.box[:, index] if evaluation.kind == "box" else np.full(len(gts), np.nan)
        yield name, values


def _load_predictions(evaluation: Evaluation) -> tuple[np.ndarray, Boxes]:
    rows = _prediction_rows(evaluation)
    ids = rows[:, 0].astype(np.int64)
    boxes = _boxes(evaluation, np.delete(rows, 3, axis=1), ids)
    boxes.score = rows[:, 3].copy()
    return ids, boxes


def _prediction_rows(evaluation: Evaluation) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, item_id, label_id, confidence, x, y, w, h FROM {_table(EvalPrediction)} "
            "WHERE evaluation_id = %s ORDER BY id",
            [evaluation.pk],
        )
        rows = cursor.fetchall()
    return np.array(rows, dtype=float).reshape(len(rows), 8)


def _boxes(evaluation: Evaluation, rows: np.ndarray, ids: np.ndarray) -> Boxes:
    box = rows[:, 3:7].copy()
    if evaluation.kind != "box":
        # Classification: every row covers its whole item, so "same item" is IoU 1 and
        # the same greedy matching gives each ground truth its best same-label prediction.
        box[:] = (0.0, 0.0, 1.0, 1.0)
    return Boxes(
        image=rows[:, 1].astype(np.int64), label=rows[:, 2].astype(np.int64), box=box, order=ids
    )


def _store_predictions(pred_ids: np.ndarray, gt_ids: np.ndarray, m: Matches) -> None:
    """Only the predictions that overlap something: the others keep their defaults."""
    touched = np.flatnonzero(m.det_iou_any > 0)
    columns = [
        ids(f"match_{key}", _looked_up(gt_ids, m.det_match[t, touched]))
        for t, key in enumerate(THRESHOLD_KEYS)
    ]
    columns += [
        floats("iou_same", m.det_iou_same[touched]),
        floats("iou_any", m.det_iou_any[touched]),
        ids("best_gt_any", _looked_up(gt_ids, m.det_best_gt_any[touched])),
    ]
    update_rows(EvalPrediction, pred_ids[touched], columns)


def _looked_up(values: np.ndarray, indexes: np.ndarray) -> np.ndarray:
    """values[indexes], where an index of -1 (none) gives -1 (NULL)."""
    if not len(values):
        return np.full(len(indexes), -1, dtype=np.int64)
    return np.where(indexes >= 0, values[np.maximum(indexes, 0)], -1)


def _metrics(evaluation: Evaluation, dets: Boxes, gts: Boxes, matches: Matches) -> dict:
    labels = dict(evaluation.dataset.labels.order_by("position", "id").values_list("id", "name"))
    if evaluation.kind == "box":
        found = metrics.detection_metrics(dets, gts, matches, labels)
        found["summary"]["counts"] = _counts(evaluation, dets, matches)
        found["confusion"] = metrics.detection_confusion(
            dets, gts, matches, labels, evaluation.confidence_threshold
        )
        return found
    truth, scores = _classification_rows(dets, gts)
    found = metrics.classification_metrics(truth, scores, labels)
    found["summary"]["counts"] = _counts(evaluation, dets, matches)
    return found


def _counts(evaluation: Evaluation, dets: Boxes, matches: Matches) -> dict:
    """counts_at the evaluation's own thresholds, kept so reading the evaluation is cheap."""
    index = int(np.argmin(np.abs(np.array(IOU_THRESHOLDS) - evaluation.iou_threshold)))
    kept = dets.score >= evaluation.confidence_threshold
    tp = int(np.count_nonzero(kept & (matches.det_match[index] >= 0)))
    fp = int(np.count_nonzero(kept)) - tp
    fn = matches.gt_conf.shape[1] - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _classification_rows(dets: Boxes, gts: Boxes):
    """One ground truth per item (the first), and each item's scored labels."""
    items, first = np.unique(gts.image, return_index=True)
    truth = gts.label[first]
    scores: dict[int, list] = {int(item): [] for item in items}
    for item, label, score in zip(
        dets.image.tolist(), dets.label.tolist(), dets.score.tolist(), strict=True
    ):
        if item in scores:
            scores[item].append((label, score))
    return truth, [scores[int(item)] for item in items]
