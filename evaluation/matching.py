"""COCO bbox matching, exactly as pycocotools' COCOeval does it, vectorised with numpy.

COCOeval (areaRng "all", iscrowd=0 ground truth) matches per image and category:
the detections are sorted by descending score (stable, so ties keep their input
order), only the first 100 are kept (maxDets is applied per image *and* category),
and each detection in turn takes the still-free ground truth with the highest IoU
at or above the threshold; among equal IoUs the last ground truth wins, because
COCOeval only skips a candidate when its IoU is strictly lower than the best so far.

The greedy loop is sequential within a group but independent across groups, so we
run it rank by rank: step r handles the r-th detection of every group at once, for
the ten thresholds together. Images are processed in chunks to bound memory.
"""

from dataclasses import dataclass

import numpy as np

# The very values COCOeval compares against (np.linspace, not 0.55 typed by hand).
IOU_THRESHOLDS = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
MAX_DETS = 100
PAIRS_PER_CHUNK = 4_000_000


@dataclass
class Boxes:
    """Detections (with scores) or ground truths (score None), as parallel arrays.

    `order` is the input order COCO would see them in (the row id); ties in score
    are broken by it.
    """

    image: np.ndarray
    label: np.ndarray
    box: np.ndarray  # (n, 4) x, y, w, h
    order: np.ndarray
    score: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.image)


@dataclass
class Matches:
    """Everything matching learns; indexes refer to the input arrays' positions."""

    det_match: np.ndarray  # (10, n_det) index of the matched ground truth, -1 for none
    det_rank: np.ndarray  # rank within (image, label) by score; >= 100 never matches
    det_iou_same: np.ndarray
    det_iou_any: np.ndarray
    det_best_gt_any: np.ndarray  # index of the ground truth of best IoU (any label), -1
    gt_conf: np.ndarray  # (10, n_gt) score of the detection that matched it, NaN for none
    gt_best_iou_any: np.ndarray
    gt_best_det_any: np.ndarray  # index of the detection of best IoU (any label), -1


def match(dets: Boxes, gts: Boxes) -> Matches:
    result = _empty(len(dets), len(gts))
    result.det_rank = _ranks(dets)
    for det_idx, gt_idx in _image_chunks(dets.image, gts.image):
        _match_chunk(dets, gts, det_idx, gt_idx, result)
    return result


def _empty(n_det: int, n_gt: int) -> Matches:
    t = len(IOU_THRESHOLDS)
    return Matches(
        det_match=np.full((t, n_det), -1, dtype=np.int64),
        det_rank=np.zeros(n_det, dtype=np.int64),
        det_iou_same=np.zeros(n_det),
        det_iou_any=np.zeros(n_det),
        det_best_gt_any=np.full(n_det, -1, dtype=np.int64),
        gt_conf=np.full((t, n_gt), np.nan),
        gt_best_iou_any=np.zeros(n_gt),
        gt_best_det_any=np.full(n_gt, -1, dtype=np.int64),
    )


def _ranks(dets: Boxes) -> np.ndarray:
    """Position of each detection in its (image, label) group, by score then input order."""
    order = np.lexsort((dets.order, -dets.score, dets.label, dets.image))
    image, label = dets.image[order], dets.label[order]
    starts = np.r_[True, (image[1:] != image[:-1]) | (label[1:] != label[:-1])]
    positions = np.arange(len(order))
    group_start = np.maximum.accumulate(np.where(starts, positions, 0))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = positions - group_start
    return ranks


def _image_chunks(det_image: np.ndarray, gt_image: np.ndarray):
    """(detection indexes, ground-truth indexes) of consecutive images, ~PAIRS_PER_CHUNK pairs."""
    images, det_counts = np.unique(det_image, return_counts=True)
    if len(images) == 0 or len(gt_image) == 0:
        return
    where = np.searchsorted(images, gt_image).clip(0, len(images) - 1)
    on_image = images[where] == gt_image
    gt_counts = np.bincount(where[on_image], minlength=len(images))
    pairs = det_counts * gt_counts
    chunk_of_image = (np.cumsum(pairs) - pairs) // PAIRS_PER_CHUNK
    det_chunk = chunk_of_image[np.searchsorted(images, det_image)]
    gt_chunk = np.where(on_image, chunk_of_image[where], -1)
    det_sorted, gt_sorted = (
        np.argsort(det_chunk, kind="stable"),
        np.argsort(gt_chunk, kind="stable"),
    )
    det_keys, gt_keys = det_chunk[det_sorted], gt_chunk[gt_sorted]
    for chunk in np.unique(chunk_of_image):
        dets = det_sorted[
            np.searchsorted(det_keys, chunk) : np.searchsorted(det_keys, chunk, "right")
        ]
        gts = gt_sorted[np.searchsorted(gt_keys, chunk) : np.searchsorted(gt_keys, chunk, "right")]
        yield dets, gts


def _match_chunk(dets: Boxes, gts: Boxes, det_idx, gt_idx, out: Matches) -> None:
    if len(det_idx) == 0 or len(gt_idx) == 0:
        return
    pair_det, pair_gt = _same_image_pairs(dets.image, gts.image, det_idx, gt_idx)
    iou = bbox_iou(dets.box[pair_det], gts.box[pair_gt])
    keep = iou > 0  # an IoU of 0 can neither match nor explain an error
    pair_det, pair_gt, iou = pair_det[keep], pair_gt[keep], iou[keep]
    _best_any(pair_det, pair_gt, iou, out)
    same = dets.label[pair_det] == gts.label[pair_gt]
    pair_det, pair_gt, iou = pair_det[same], pair_gt[same], iou[same]
    np.maximum.at(out.det_iou_same, pair_det, iou)
    _greedy(pair_det, pair_gt, iou, dets, gts, out)


def _same_image_pairs(det_image, gt_image, det_idx, gt_idx):
    """Every (detection, ground truth) pair on the same image."""
    gt_idx = gt_idx[np.argsort(gt_image[gt_idx], kind="stable")]
    gt_keys = gt_image[gt_idx]
    starts = np.searchsorted(gt_keys, det_image[det_idx], "left")
    counts = np.searchsorted(gt_keys, det_image[det_idx], "right") - starts
    pair_det = np.repeat(det_idx, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pair_gt = gt_idx[np.repeat(starts, counts) + offsets]
    return pair_det, pair_gt


def bbox_iou(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Row-wise IoU of [x, y, w, h] boxes, with the operations of pycocotools' bbIou in C."""
    w = np.minimum(d[:, 2] + d[:, 0], g[:, 2] + g[:, 0]) - np.maximum(d[:, 0], g[:, 0])
    h = np.minimum(d[:, 3] + d[:, 1], g[:, 3] + g[:, 1]) - np.maximum(d[:, 1], g[:, 1])
    inter = w * h
    union = d[:, 2] * d[:, 3] + g[:, 2] * g[:, 3] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((w > 0) & (h > 0), inter / union, 0.0)


def _best_any(pair_det, pair_gt, iou, out: Matches) -> None:
    """Best overlap of any label, both ways (for the error kinds)."""
    order = np.lexsort((iou, pair_det))
    last = np.r_[pair_det[order][1:] != pair_det[order][:-1], True] if len(order) else order
    best = order[last]
    out.det_iou_any[pair_det[best]] = iou[best]
    out.det_best_gt_any[pair_det[best]] = pair_gt[best]
    order = np.lexsort((iou, pair_gt))
    last = np.r_[pair_gt[order][1:] != pair_gt[order][:-1], True] if len(order) else order
    best = order[last]
    out.gt_best_iou_any[pair_gt[best]] = iou[best]
    out.gt_best_det_any[pair_gt[best]] = pair_det[best]


def _greedy(pair_det, pair_gt, iou, dets: Boxes, gts: Boxes, out: Matches) -> None:
    """COCOeval's loop, one detection rank at a time, all groups and thresholds together."""
    rank = out.det_rank[pair_det]
    inside = rank < MAX_DETS
    pair_det, pair_gt, iou, rank = pair_det[inside], pair_gt[inside], iou[inside], rank[inside]
    # Within a detection, candidates in ground-truth input order: the last best one wins.
    order = np.lexsort((gts.order[pair_gt], pair_det, rank))
    pair_det, pair_gt, iou, rank = pair_det[order], pair_gt[order], iou[order], rank[order]
    taken = np.zeros((len(IOU_THRESHOLDS), len(gts)), dtype=bool)
    bounds = np.searchsorted(rank, np.arange(MAX_DETS + 1))
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi > lo:
            _step(pair_det[lo:hi], pair_gt[lo:hi], iou[lo:hi], taken, dets, out)


def _step(pair_det, pair_gt, iou, taken, dets: Boxes, out: Matches) -> None:
    thresholds = np.minimum(IOU_THRESHOLDS, 1 - 1e-10)[:, None]
    valid = (iou[None, :] >= thresholds) & ~taken[:, pair_gt]
    starts = np.flatnonzero(np.r_[True, pair_det[1:] != pair_det[:-1]])
    key = np.where(valid, iou[None, :], -1.0)
    seg = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(pair_det)]))
    top = np.maximum.reduceat(key, starts, axis=1)
    winner = np.where(valid & (key == top[:, seg]), np.arange(len(pair_det)), -1)
    chosen = np.maximum.reduceat(winner, starts, axis=1)
    t_idx, s_idx = np.nonzero(chosen >= 0)
    pairs = chosen[t_idx, s_idx]
    gt, det = pair_gt[pairs], pair_det[pairs]
    taken[t_idx, gt] = True
    out.det_match[t_idx, det] = gt
    out.gt_conf[t_idx, gt] = dets.score[det]
