"""`shapes-detector`: classical region proposals and a learned classifier over them.

Proposals come from colour segmentation (`shapes_proposals`); each is described by
hand-made features (`shapes_features`) and classified by a small MLP into the
model's labels or "background". The MLP learns, epoch by epoch, from the training
subset's proposals: one whose box overlaps a ground-truth box with IoU ≥
`match_iou` takes that box's label, every other one is background. A detection is
a proposal whose best label's softmax probability (a log-loss model, so the
confidence is calibrated on the proposals it was trained on) reaches
`score_threshold`, after non-maximum suppression at `nms_iou`.

Weights (see `worker.adapters.weights`): `weights.npz` holds ``coef_<i>`` and
``intercept_<i>`` per layer plus ``feature_mean`` and ``feature_scale`` (the
standardisation of the features); `model.json` holds ``format``
"modelyard.shapes-detector", ``version`` 1, ``labels`` (output order; one more
output, the last, is background), ``hidden_layer_sizes`` and the ``proposals``
settings it was trained with.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from modelyard import Callbacks, ModelAdapter, Prediction, Subset, TrainingData
from sklearn.neural_network import MLPClassifier

from worker.adapters.boxes import best_iou, detection_scores, nms
from worker.adapters.config import TRAINING_RULES, configuration_check
from worker.adapters.labels import labels_require, labels_resolve
from worker.adapters.mlp import mlp_arrays, mlp_configured, mlp_epoch, mlp_restore, mlp_scores
from worker.adapters.shapes_features import feature_count, features
from worker.adapters.shapes_proposals import Proposal, ProposalSettings, proposals
from worker.adapters.weights import mlp_weights_read, weights_save

FORMAT = "modelyard.shapes-detector"
FORMAT_VERSION = 1
DEFAULTS = {
    "epochs": 20,
    "learning_rate": 0.003,
    "batch_size": 32,
    "hidden_layer_sizes": [32],
    "alpha": 0.0001,
    "seed": 0,
    "score_threshold": 0.5,
    "nms_iou": 0.45,
    "match_iou": 0.5,
    "proposal_min_area": 40,
    "proposal_scales": [200],
    "proposal_sigma": 0.8,
    "proposal_max_share": 0.6,
    "proposal_max_side": 128,
}
RULES = {
    **TRAINING_RULES,
    "score_threshold": (False, 0, 1),
    "nms_iou": (False, 0, 1),
    "match_iou": (False, 0.01, 1),
    "proposal_min_area": (True, 1, 1e9),
    "proposal_sigma": (False, 0, 100),
    "proposal_max_share": (False, 0.01, 1),
    "proposal_max_side": (True, 16, 100_000),
}


@dataclass
class Examples:
    """The proposals of a subset: features, target class, and where each came from."""

    x: np.ndarray
    y: np.ndarray
    boxes: np.ndarray  # n × 4, [x, y, width, height]
    counts: list[int]  # proposals per image, in image order
    truths: list[list[dict]]  # ground-truth boxes per image


class ShapesDetectorAdapter(ModelAdapter):
    """Image → boxes, each with a label and a confidence."""

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        super().__init__({**DEFAULTS, **(configuration or {})}, labels)
        configuration_check(self.configuration, RULES)
        self._classifier: MLPClassifier | None = None
        self._mean = self._scale = None

    @property
    def _n_classes(self) -> int:
        return len(self.labels) + 1  # the last class is background

    def load(self, path: str) -> None:
        arrays = mlp_weights_read(
            self, path, expected_format=FORMAT, version=FORMAT_VERSION, name="shapes-detector"
        )
        self._mean, self._scale = _standardisation(arrays)
        self._classifier = mlp_restore(
            mlp_configured(self.config), arrays, n_inputs=feature_count(), n_classes=self._n_classes
        )

    def save(self, path: str) -> None:
        if self._classifier is None:
            raise RuntimeError("nothing to save: train or load the model first")
        arrays = mlp_arrays(self._classifier)
        arrays.update(feature_mean=self._mean, feature_scale=self._scale)
        weights_save(Path(path), arrays=arrays, meta=self._meta())

    def train(self, data: TrainingData, output_path: str, callbacks: Callbacks) -> None:
        self.labels = labels_resolve(self.labels, data.labels)
        callbacks.progress(0.0, "finding region proposals")
        train = self._examples(data.train, "training")
        val = self._examples(data.validation, "validation", required=False)
        if not len(train.x):
            raise ValueError("no region proposals in the training images: lower proposal_min_area")
        if self._classifier is None:  # else fine-tune what `load` read
            self._start(train.x)
        rng = np.random.default_rng(int(self.config("seed")))
        epochs = int(self.config("epochs"))
        for epoch in range(1, epochs + 1):
            mlp_epoch(self._classifier, self._scaled(train.x), train.y, **self._options(rng))
            self.epoch_end(callbacks, epoch, epochs, self._metrics(train, val))

    def predict(self, batch: list[np.ndarray]) -> list[list[Prediction]]:
        if self._classifier is None:
            raise RuntimeError("the model has no weights: train or load it first")
        if not batch:
            return []
        found = self._proposals(batch)
        x, boxes = _described(found)
        return self._detections(self._probabilities(x), boxes, [len(image) for image in found])

    # --- examples and metrics --------------------------------------------------------

    def _examples(self, subset: Subset, name: str, required: bool = True) -> Examples:
        if required and not len(subset):
            raise ValueError(f"the {name} subset is empty: there is nothing to learn from")
        truths = [[a for a in annotations if "box" in a] for annotations in subset.annotations]
        if required and not any(truths):
            raise ValueError(f"the {name} subset has no ground-truth boxes to learn from")
        labels_require(self.labels, [t["label"] for boxes in truths for t in boxes], name)
        found = self._proposals(subset.images)
        x, boxes = _described(found)
        counts = [len(image) for image in found]
        return Examples(x, self._targets(boxes, counts, truths), boxes, counts, truths)

    def _proposals(self, images: list[np.ndarray]) -> list[list[Proposal]]:
        settings = ProposalSettings.from_configuration(self.configuration)
        return [proposals(image, settings) for image in images]

    def _targets(
        self, boxes: np.ndarray, counts: list[int], truths: list[list[dict]]
    ) -> np.ndarray:
        """Each proposal's class: the label of the truth it matches, else background."""
        owners = np.repeat(np.arange(len(counts)), counts)
        pairs = zip(boxes, owners, strict=True)
        return np.array([self._target(box, truths[owner]) for box, owner in pairs], dtype=int)

    def _target(self, box: np.ndarray, truths: list[dict]) -> int:
        score, index = best_iou(box, [truth["box"] for truth in truths])
        if score >= float(self.config("match_iou")):
            return self.labels.index(truths[index]["label"])
        return len(self.labels)

    def _metrics(self, train: Examples, val: Examples) -> dict[str, float]:
        scores = mlp_scores(self._probabilities(train.x), train.y)
        metrics = {"loss/train": scores["loss"], "accuracy/train": scores["accuracy"]}
        if len(val.x):
            probabilities = self._probabilities(val.x)
            scores = mlp_scores(probabilities, val.y)
            metrics.update({f"{name}/val": value for name, value in scores.items()})
            found = self._detections(probabilities, val.boxes, val.counts)
            detection = detection_scores(found, val.truths, threshold=0.5)
            metrics.update({f"{name}/val@0.5": value for name, value in detection.items()})
        return metrics

    # --- the classifier --------------------------------------------------------------

    def _start(self, x: np.ndarray) -> None:
        """A new classifier, with the standardisation of the training features.

        Fine-tuning keeps the loaded standardisation instead: the weights assume it."""
        self._mean, self._scale = x.mean(axis=0), x.std(axis=0) + 1e-6
        self._classifier = mlp_configured(self.config)

    def _options(self, rng: np.random.Generator) -> dict:
        return {"n_classes": self._n_classes, "batch_size": self.config("batch_size"), "rng": rng}

    def _scaled(self, x: np.ndarray) -> np.ndarray:
        return (x - self._mean) / self._scale

    def _probabilities(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros((0, self._n_classes))
        return self._classifier.predict_proba(self._scaled(x))

    def _detections(
        self, probabilities: np.ndarray, boxes: np.ndarray, counts: list[int]
    ) -> list[list[Prediction]]:
        """Per image: the confident, non-overlapping proposals as predictions."""
        edges = np.cumsum(counts)[:-1]
        pairs = zip(np.split(probabilities, edges), np.split(boxes, edges), strict=True)
        return [self._image_detections(p, b) for p, b in pairs]

    def _image_detections(self, probabilities: np.ndarray, boxes: np.ndarray) -> list[Prediction]:
        shapes = probabilities[:, : len(self.labels)]
        best, confidence = shapes.argmax(axis=1), shapes.max(axis=1)
        sure = np.flatnonzero(confidence >= float(self.config("score_threshold")))
        kept = nms(boxes[sure], confidence[sure], float(self.config("nms_iou")))
        return [_prediction(self.labels[best[i]], confidence[i], boxes[i]) for i in sure[kept]]

    def _meta(self) -> dict:
        settings = ProposalSettings.from_configuration(self.configuration)
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(self.labels),
            "hidden_layer_sizes": [int(size) for size in self._classifier.hidden_layer_sizes],
            "activation": "relu",
            "features": feature_count(),
            "proposals": asdict(settings),
        }


def _described(found: list[list[Proposal]]) -> tuple[np.ndarray, np.ndarray]:
    """The features and boxes of every proposal of every image, in one array each."""
    flat = [proposal for image in found for proposal in image]
    x = np.array([features(proposal) for proposal in flat]).reshape(len(flat), feature_count())
    return x, np.array([proposal.box for proposal in flat]).reshape(len(flat), 4)


def _prediction(label: str, confidence: float, box: np.ndarray) -> Prediction:
    return {
        "label": label,
        "confidence": float(confidence),
        "box": [round(float(v), 2) for v in box],
    }


def _standardisation(arrays: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = arrays.get("feature_mean"), arrays.get("feature_scale")
    expected = (feature_count(),)
    if mean is None or scale is None or mean.shape != expected or scale.shape != expected:
        raise ValueError(f"the weights need feature_mean and feature_scale of {feature_count()}")
    if np.any(scale <= 0):
        raise ValueError("the weights' feature_scale must be positive")
    return mean.astype(np.float64), scale.astype(np.float64)
