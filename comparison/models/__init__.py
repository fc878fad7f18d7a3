from comparison.models.metrics import (
    CHUNK_CAPACITY,
    OPEN_CHUNK_LIMIT,
    MetricChunk,
    MetricPreview,
    MetricSeries,
)
from comparison.models.saved_views import SavedComparisonView

__all__ = [
    "CHUNK_CAPACITY",
    "OPEN_CHUNK_LIMIT",
    "MetricChunk",
    "MetricPreview",
    "MetricSeries",
    "SavedComparisonView",
]
