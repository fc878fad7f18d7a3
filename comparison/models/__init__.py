from comparison.models.count_grids import CONFIDENCE_STEPS, EvalCountGrid
from comparison.models.evaluations import (
    IOU_THRESHOLDS,
    THRESHOLD_KEYS,
    EvalGroundTruth,
    EvalPrediction,
    Evaluation,
    EvaluationMode,
    EvaluationStatus,
)
from comparison.models.metrics import (
    CHUNK_CAPACITY,
    OPEN_CHUNK_LIMIT,
    MetricChunk,
    MetricPreview,
    MetricSeries,
)
from comparison.models.reviews import ReviewMark, ReviewVerdict
from comparison.models.saved_views import SavedComparisonView

__all__ = [
    "CHUNK_CAPACITY",
    "CONFIDENCE_STEPS",
    "OPEN_CHUNK_LIMIT",
    "IOU_THRESHOLDS",
    "THRESHOLD_KEYS",
    "EvalCountGrid",
    "EvalGroundTruth",
    "EvalPrediction",
    "Evaluation",
    "EvaluationMode",
    "EvaluationStatus",
    "MetricChunk",
    "MetricPreview",
    "MetricSeries",
    "ReviewMark",
    "ReviewVerdict",
    "SavedComparisonView",
]
