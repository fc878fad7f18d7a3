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

A `Subset`'s images are read when they are asked for: in a worker they stream
from the storage back end, so an adapter that keeps no more than a batch at a
time trains on any number of items in bounded memory. `subset[i]` is
``(image, annotations)`` and `len(subset)` its size, so a subset serves as a
map-style ``torch.utils.data.Dataset`` as it is, worker processes included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np

Annotation = dict[str, Any]
Prediction = dict[str, Any]


#: Where adapters write what the job log should show (`ModelAdapter.note`).
LOGGER_NAME = "modelyard.adapter"


class ImageFiles(Sequence):
    """Images read from files when indexed, never all held at once.

    `images[i]` decodes one file; `images[a:b]` is another `ImageFiles`. It pickles
    as its paths, so it crosses into data-loader worker processes cheaply.
    """

    def __init__(self, paths: Sequence[str | Path]) -> None:
        self.paths = list(paths)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, index: slice) -> ImageFiles: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.with_paths(self.paths[index])
        return self.read(self.paths[index])

    def with_paths(self, paths: list) -> ImageFiles:
        return type(self)(paths)

    def read(self, path: str | Path) -> np.ndarray:
        from PIL import Image

        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"))


@dataclass
class Subset:
    """Images of one subset with their ground truth, in the same order.

    `images` is a list or any sequence that reads an image when indexed
    (`ImageFiles`, or the worker's stream from storage): iterate or index it,
    do not keep what you read longer than you need it.
    """

    names: list[str] = field(default_factory=list)
    images: Sequence[np.ndarray] = field(default_factory=list)
    annotations: list[list[Annotation]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[np.ndarray, list[Annotation]]:
        """One example, read now: ``(image, annotations)``."""
        return self.images[index], self.annotations[index]

    def head(self, count: int) -> Subset:
        """The first `count` examples, still read on demand."""
        return Subset(self.names[:count], self.images[:count], self.annotations[:count])


@dataclass
class TrainingData:
    """What `train` learns from.

    `resume` is the folder of the last checkpoint when the job resumes an
    interrupted training (see `ModelAdapter.checkpoint`), else None.
    """

    train: Subset
    validation: Subset
    labels: list[str]
    resume: str | None = None


class Callbacks(Protocol):
    """What `train` may call while it runs."""

    def log(self, metrics: dict[str, float], step: int) -> None:
        """Record metric values at a step (e.g. {"loss/train": 0.31})."""

    def progress(self, percent: float, message: str = "") -> None:
        """Report progress from 0 to 100, with what is happening now."""

    def should_stop(self) -> bool:
        """True once the job was cancelled: stop at the next safe point."""

    def checkpoint(self, path: str, epoch: int) -> None:
        """Keep the folder `path` as the checkpoint of `epoch` (a resumed job gets it back)."""


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
        #: What the adapter ran on, for the job and the version: e.g. {"device": "cpu"}.
        self.environment: dict[str, str] = {}

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

    def note(self, line: str) -> None:
        """A line for the job's log (which layers were loaded, the device chosen...)."""
        logging.getLogger(LOGGER_NAME).info(line)

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
