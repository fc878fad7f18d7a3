"""`digits-mlp`: a multi-layer perceptron that classifies small grey images.

Each image is turned grey, box-resampled to 8×8 (the size of scikit-learn's digits,
whatever size was uploaded) and scaled so ink is 1 and paper 0. scikit-learn's
MLPClassifier learns from them epoch by epoch with `partial_fit` over shuffled
mini-batches.

Weights (see `worker.adapters.weights`): `weights.npz` holds ``coef_<i>`` and
``intercept_<i>`` for each layer i (float64, layer i maps units i to units i + 1);
`model.json` holds ``format`` "modelyard.digits-mlp", ``version`` 1, ``labels``
(output order), ``hidden_layer_sizes``, ``activation`` "relu" and ``input``
(8×8 grey, ink 1). Configuration: hidden_layer_sizes, learning_rate, epochs,
batch_size, alpha, seed.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from modelyard import Callbacks, ModelAdapter, Prediction, Subset, TrainingData
from PIL import Image
from sklearn.neural_network import MLPClassifier

from worker.adapters.config import TRAINING_RULES, configuration_check
from worker.adapters.images import as_rgb
from worker.adapters.labels import class_label, class_prediction, labels_require, labels_resolve
from worker.adapters.mlp import mlp_arrays, mlp_configured, mlp_epoch, mlp_restore, mlp_scores
from worker.adapters.weights import mlp_weights_read, weights_save

FORMAT = "modelyard.digits-mlp"
FORMAT_VERSION = 1
SIDE = 8
DEFAULTS = {
    "hidden_layer_sizes": [64],
    "learning_rate": 0.001,
    "epochs": 20,
    "batch_size": 64,
    "alpha": 0.0001,
    "seed": 0,
}


def pixels(images: Iterable[np.ndarray]) -> np.ndarray:
    """One row of 64 values in [0, 1] per image, ink 1 and paper 0.

    Images are consumed one at a time, so a stream of them is never all in memory.
    """
    rows = [_pixel_row(image) for image in images]
    return np.array(rows).reshape(len(rows), SIDE * SIDE)


def _pixel_row(image: np.ndarray) -> np.ndarray:
    grey = Image.fromarray(as_rgb(image)).convert("L")
    # Box resampling averages every source pixel, so any upload size maps fairly.
    small = grey.resize((SIDE, SIDE), Image.Resampling.BOX)
    return 1.0 - np.asarray(small, dtype=np.float64).ravel() / 255.0


class DigitsMLPAdapter(ModelAdapter):
    """Image → one class label with its confidence and the scores of every label."""

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        super().__init__({**DEFAULTS, **(configuration or {})}, labels)
        configuration_check(self.configuration, TRAINING_RULES)
        self._classifier: MLPClassifier | None = None

    def load(self, path: str) -> None:
        arrays = mlp_weights_read(
            self, path, expected_format=FORMAT, version=FORMAT_VERSION, name="digits-mlp"
        )
        self._classifier = mlp_restore(
            mlp_configured(self.config), arrays, n_inputs=SIDE * SIDE, n_classes=len(self.labels)
        )

    def save(self, path: str) -> None:
        if self._classifier is None:
            raise RuntimeError("nothing to save: train or load the model first")
        weights_save(Path(path), arrays=mlp_arrays(self._classifier), meta=self._meta())

    def train(self, data: TrainingData, output_path: str, callbacks: Callbacks) -> None:
        self.labels = labels_resolve(self.labels, data.labels)
        x_train, y_train = self._examples(data.train, "training")
        x_val, y_val = self._examples(data.validation, "validation", required=False)
        if self._classifier is None:
            self._classifier = mlp_configured(self.config)
        rng = np.random.default_rng(int(self.config("seed")))
        epochs = int(self.config("epochs"))
        for epoch in range(1, epochs + 1):
            mlp_epoch(self._classifier, x_train, y_train, **self._epoch_options(rng))
            metrics = self._metrics(x_train, y_train, x_val, y_val)
            self.epoch_end(callbacks, epoch, epochs, metrics)

    def predict(self, batch: list[np.ndarray]) -> list[list[Prediction]]:
        if self._classifier is None:
            raise RuntimeError("the model has no weights: train or load it first")
        if not batch:
            return []
        probabilities = self._classifier.predict_proba(pixels(batch))
        return [[class_prediction(self.labels, row)] for row in probabilities]

    def _epoch_options(self, rng: np.random.Generator) -> dict:
        return {"n_classes": len(self.labels), "batch_size": self.config("batch_size"), "rng": rng}

    def _examples(
        self, subset: Subset, name: str, required: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        if required and not len(subset):
            raise ValueError(f"the {name} subset is empty: there is nothing to learn from")
        targets = [class_label(annotations) for annotations in subset.annotations]
        kept = [index for index, label in enumerate(targets) if label is not None]
        if required and not kept:
            raise ValueError(f"the {name} subset has no images with a class label")
        labels = [targets[index] for index in kept]
        labels_require(self.labels, labels, name)
        y = np.array([self.labels.index(label) for label in labels], dtype=int)
        return pixels(subset.images[index] for index in kept), y

    def _metrics(
        self, x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray
    ) -> dict[str, float]:
        train = mlp_scores(self._classifier.predict_proba(x_train), y_train)
        metrics = {"loss/train": train["loss"], "accuracy/train": train["accuracy"]}
        if len(x_val):
            val = mlp_scores(self._classifier.predict_proba(x_val), y_val)
            metrics.update({"loss/val": val["loss"], "accuracy/val": val["accuracy"]})
        return metrics

    def _meta(self) -> dict:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(self.labels),
            "hidden_layer_sizes": [int(size) for size in self._classifier.hidden_layer_sizes],
            "activation": "relu",
            "input": {"width": SIDE, "height": SIDE, "channels": 1, "scale": "ink 1, paper 0"},
        }
