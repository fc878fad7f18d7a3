"""Checks that the model's labels, the data and the saved weights agree."""

from collections.abc import Iterable, Sequence

import numpy as np


def labels_resolve(model_labels: Sequence[str], data_labels: Sequence[str]) -> list[str]:
    """The labels to train with: the model's own, else the dataset's label map."""
    labels = list(model_labels) or list(data_labels)
    if not labels:
        raise ValueError("no labels: neither the model nor the dataset names any")
    if len(set(labels)) != len(labels):
        raise ValueError(f"the labels repeat a name: {labels}")
    return labels


def labels_require(labels: Sequence[str], found: Iterable[str], subset: str) -> None:
    """Every label used in the subset must be one the model predicts."""
    unknown = sorted(set(found) - set(labels))
    if unknown:
        raise ValueError(
            f"the {subset} subset uses labels the model does not have: {', '.join(unknown)} "
            f"(model labels: {', '.join(labels)})"
        )


def labels_check(model_labels: Sequence[str], saved: object) -> list[str]:
    """The labels of loaded weights, which must be the model's when it names any."""
    if not isinstance(saved, list) or not saved or not all(isinstance(x, str) for x in saved):
        raise ValueError(f"the weights' labels must be a list of names, got {saved!r}")
    if model_labels and list(model_labels) != saved:
        raise ValueError(
            f"the weights were trained for labels {saved}, the model has {list(model_labels)}"
        )
    return list(saved)


def class_label(annotations: list[dict]) -> str | None:
    """The image's class label: its first annotation without a box."""
    return next((a["label"] for a in annotations if "box" not in a), None)


def class_prediction(labels: Sequence[str], probabilities: np.ndarray) -> dict:
    """The most probable label, its confidence and the score of every label."""
    best = int(probabilities.argmax())
    return {
        "label": labels[best],
        "confidence": float(probabilities[best]),
        "scores": {label: float(p) for label, p in zip(labels, probabilities, strict=True)},
    }
