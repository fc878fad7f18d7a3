"""Evaluations, their stored predictions and ground truths, count grids and review marks.

Each model keeps the table it had in the comparison app (`Meta.db_table`): the models
moved here without their rows moving (docs/architecture.md).
"""

from evaluation.models.count_grids import CONFIDENCE_STEPS, EvalCountGrid
from evaluation.models.evaluations import (
    IOU_THRESHOLDS,
    THRESHOLD_KEYS,
    EvalGroundTruth,
    EvalPrediction,
    Evaluation,
    EvaluationMode,
    EvaluationStatus,
)
from evaluation.models.reviews import ReviewMark, ReviewVerdict

__all__ = [
    "CONFIDENCE_STEPS",
    "IOU_THRESHOLDS",
    "THRESHOLD_KEYS",
    "EvalCountGrid",
    "EvalGroundTruth",
    "EvalPrediction",
    "Evaluation",
    "EvaluationMode",
    "EvaluationStatus",
    "ReviewMark",
    "ReviewVerdict",
]
