"""A nearest-centroid classifier: each label is the mean of its training images.

Small on purpose: it shows every part of the ModelAdapter contract (load, save,
train with metrics and progress, predict with confidences) in under 100 lines.
"""

import json
from pathlib import Path

import numpy as np
from modelyard import ModelAdapter


class NearestCentroidAdapter(ModelAdapter):
    """Configuration: `size` (images are resized to size × size grey), `temperature`."""

    def __init__(self, configuration=None, labels=()):
        super().__init__(configuration, labels)
        self.centroids: np.ndarray | None = None

    # --- the four methods -------------------------------------------------------

    def load(self, path: str) -> None:
        with np.load(Path(path) / "centroids.npz", allow_pickle=False) as weights:
            self.centroids = weights["centroids"]
        self.labels = json.loads((Path(path) / "labels.json").read_text())

    def save(self, path: str) -> None:
        np.savez(Path(path) / "centroids.npz", centroids=self.centroids)
        (Path(path) / "labels.json").write_text(json.dumps(self.labels))

    def train(self, data, output_path, callbacks) -> None:
        if not len(data.train):
            raise ValueError("The train subset is empty: split the dataset first.")
        features = self._features(data.train.images)
        targets = np.array([self.labels.index(a[0]["label"]) for a in data.train.annotations])
        per_label = [features[targets == index] for index in range(len(self.labels))]
        self.centroids = np.stack([rows.mean(axis=0) for rows in per_label])
        metrics = {"accuracy/train": self._accuracy(features, targets)}
        if len(data.validation):
            val_targets = [self.labels.index(a[0]["label"]) for a in data.validation.annotations]
            metrics["accuracy/val"] = self._accuracy(
                self._features(data.validation.images), np.array(val_targets)
            )
        self.epoch_end(callbacks, 1, 1, metrics)

    def predict(self, batch):
        probabilities = self._probabilities(self._features(batch))
        return [[self._prediction(row)] for row in probabilities]

    # --- helpers ------------------------------------------------------------------

    def _features(self, images) -> np.ndarray:
        size = int(self.config("size", 8))
        return np.stack([_grey_resized(image, size) for image in images])

    def _probabilities(self, features: np.ndarray) -> np.ndarray:
        distances = ((features[:, None, :] - self.centroids[None, :, :]) ** 2).sum(axis=2)
        logits = -distances / float(self.config("temperature", 1.0))
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def _accuracy(self, features: np.ndarray, targets: np.ndarray) -> float:
        return float((self._probabilities(features).argmax(axis=1) == targets).mean())

    def _prediction(self, row: np.ndarray) -> dict:
        best = int(row.argmax())
        scores = {label: float(p) for label, p in zip(self.labels, row, strict=True)}
        return {"label": self.labels[best], "confidence": float(row[best]), "scores": scores}


def _grey_resized(image: np.ndarray, size: int) -> np.ndarray:
    """Mean-pool a grey copy of the image down to size × size, scaled to [0, 1]."""
    grey = image.astype(np.float64).mean(axis=2) if image.ndim == 3 else image.astype(np.float64)
    rows = np.array_split(np.arange(grey.shape[0]), size)
    cols = np.array_split(np.arange(grey.shape[1]), size)
    pooled = np.array([[grey[np.ix_(r, c)].mean() for c in cols] for r in rows])
    return (pooled / 255.0).ravel()
