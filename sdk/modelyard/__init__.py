"""Modelyard: the Python client and the ModelAdapter base."""

from modelyard.adapter import (
    Callbacks,
    ModelAdapter,
    Prediction,
    StopTraining,
    Subset,
    TrainingData,
)

__all__ = ["Callbacks", "ModelAdapter", "Prediction", "StopTraining", "Subset", "TrainingData"]
__version__ = "0.1.0"
