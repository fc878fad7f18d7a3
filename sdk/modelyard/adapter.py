"""The contract between Modelyard and a model package.

A package subclasses `ModelAdapter` and implements four methods: `load`,
`save`, `train` and `predict`. Modelyard does the rest: it builds the adapter
with the model version's configuration (merged over the package defaults) and
labels, fetches the version's artifacts into a folder and calls `load` with it,
prepares the training data from the dataset subsets, gives `train` the
callbacks that log metrics and report progress, uploads what `save` wrote as
artifacts, and batches images for `predict`.

Plain data forms, so a package depends on nothing but numpy and this module:

* an image is a numpy array, height × width × 3, uint8 (RGB);
* an annotation is a dict ``{"label": str}`` for a class label, or
  ``{"label": str, "box": [x, y, width, height]}`` in pixels from the top-left;
* a prediction is ``{"label": str, "confidence": float}`` plus ``"box"`` for
  detections and, optionally, ``"scores": {label: probability}`` for classes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

Annotation = dict[str, Any]
Prediction = dict[str, Any]


@dataclass
class Subset:
    """Images of one subset with their ground truth, in the same order."""

    names: list[str] = field(default_factory=list)
    images: list[np.ndarray] = field(default_factory=list)
    annotations: list[list[Annotation]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.images)


@dataclass
class TrainingData:
    train: Subset
    validation: Subset
    labels: list[str]


class Callbacks(Protocol):
    """What `train` may call while it runs."""

    def log(self, metrics: dict[str, float], step: int) -> None:
        """Record metric values at a step (e.g. {"loss/train": 0.31})."""

    def progress(self, percent: float, message: str = "") -> None:
        """Report progress from 0 to 100, with what is happening now."""

    def should_stop(self) -> bool:
        """True once the job was cancelled: stop at the next safe point."""


class StopTraining(Exception):
    """Raised by `epoch_end` when the job was cancelled."""


class ModelAdapter:
    """Subclass it, implement the four methods, and name the class in the package
    (``adapter = "my_package.module:MyAdapter"``)."""

    #: How many images `predict` receives at once.
    batch_size: int = 64

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        self.configuration = dict(configuration or {})
        self.labels = list(labels)

    # --- what a package implements ------------------------------------------------

    def load(self, path: str) -> None:
        """Read weights from the folder `path` (the model's artifacts)."""
        raise NotImplementedError

    def save(self, path: str) -> None:
        """Write weights into the folder `path`; every file becomes an artifact."""
        raise NotImplementedError

    def train(self, data: TrainingData, output_path: str, callbacks: Callbacks) -> None:
        """Learn from `data.train`, check on `data.validation`, report through `callbacks`."""
        raise NotImplementedError

    def predict(self, batch: list[np.ndarray]) -> list[list[Prediction]]:
        """One list of predictions per image of `batch`."""
        raise NotImplementedError

    # --- what the base class provides ------------------------------------------------

    def config(self, key: str, default: Any = None) -> Any:
        return self.configuration.get(key, default)

    def predict_all(self, images: Sequence[np.ndarray]) -> Iterator[list[Prediction]]:
        """Predictions for any number of images, `batch_size` at a time."""
        for start in range(0, len(images), self.batch_size):
            yield from self.predict(list(images[start : start + self.batch_size]))

    @staticmethod
    def epoch_end(callbacks: Callbacks, epoch: int, epochs: int, metrics: dict[str, float]) -> None:
        """Log an epoch's metrics at step `epoch`, report progress, stop if cancelled."""
        callbacks.log(metrics, step=epoch)
        callbacks.progress(100.0 * epoch / max(epochs, 1), f"epoch {epoch} of {epochs}")
        if callbacks.should_stop():
            raise StopTraining(f"cancelled after epoch {epoch}")
