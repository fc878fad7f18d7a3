"""scikit-learn's MLPClassifier trained epoch by epoch, and rebuilt from plain arrays.

Both built-in adapters use it: the digits on pixels, the shapes detector on the
features of its proposals. Class `i` of the classifier is label `i` of the model,
so the output order is the model's label order, not scikit-learn's sorting.
"""

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier


def mlp_new(*, hidden_layer_sizes: Sequence[int], learning_rate: float, alpha: float, seed: int):
    sizes = [int(size) for size in hidden_layer_sizes]
    if any(size <= 0 for size in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive integers, got {sizes}")
    return MLPClassifier(
        hidden_layer_sizes=tuple(sizes),
        learning_rate_init=float(learning_rate),
        alpha=float(alpha),
        random_state=int(seed),
        solver="adam",
    )


def mlp_configured(config: Callable[[str], object]) -> MLPClassifier:
    """A new classifier from an adapter's configuration (`adapter.config`)."""
    return mlp_new(
        hidden_layer_sizes=config("hidden_layer_sizes"),
        learning_rate=config("learning_rate"),
        alpha=config("alpha"),
        seed=config("seed"),
    )


def mlp_epoch(
    classifier: MLPClassifier,
    x: np.ndarray,
    y: np.ndarray,
    *,
    n_classes: int,
    batch_size: int,
    rng: np.random.Generator,
) -> None:
    """One pass over (x, y) in shuffled mini-batches, one optimiser step per batch."""
    order = rng.permutation(len(x))
    size = max(int(batch_size), 1)
    with warnings.catch_warnings():
        # partial_fit warns that one pass did not "converge"; epochs are ours to count.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            classifier.partial_fit(x[batch], y[batch], classes=np.arange(n_classes))


def mlp_scores(probabilities: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Log loss, accuracy and expected calibration error of predicted probabilities."""
    n_classes = probabilities.shape[1]
    return {
        "loss": float(log_loss(y, probabilities, labels=np.arange(n_classes))),
        "accuracy": float(np.mean(probabilities.argmax(axis=1) == y)),
        "calibration_error": calibration_error(probabilities, y),
    }


def calibration_error(probabilities: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """How far confidence is from accuracy, averaged over 10 confidence bins (ECE)."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    gaps = [
        np.mean(which == b) * abs(confidence[which == b].mean() - correct[which == b].mean())
        for b in np.unique(which)
    ]
    return float(np.sum(gaps))


def mlp_arrays(classifier: MLPClassifier) -> dict[str, np.ndarray]:
    arrays = {f"coef_{i}": coef for i, coef in enumerate(classifier.coefs_)}
    arrays.update({f"intercept_{i}": bias for i, bias in enumerate(classifier.intercepts_)})
    return arrays


def mlp_restore(
    classifier: MLPClassifier, arrays: dict[str, np.ndarray], *, n_inputs: int, n_classes: int
) -> MLPClassifier:
    """Give a new classifier the saved weights, ready to predict or to train on."""
    coefs, intercepts = _layers(arrays, len(classifier.hidden_layer_sizes) + 1)
    _check_shapes(coefs, intercepts, [n_inputs, *classifier.hidden_layer_sizes, n_classes])
    # One step on a dummy batch sets up scikit-learn's internals (label binariser,
    # output activation, layer count); the weights are then replaced by the saved ones.
    dummy = np.zeros((n_classes, n_inputs))
    classifier.partial_fit(dummy, np.arange(n_classes), classes=np.arange(n_classes))
    classifier.coefs_ = [coef.astype(np.float64) for coef in coefs]
    classifier.intercepts_ = [bias.astype(np.float64) for bias in intercepts]
    # The optimiser's moments came from the dummy step: start fine-tuning afresh.
    del classifier._optimizer
    return classifier


def _layers(arrays: dict[str, np.ndarray], count: int) -> tuple[list, list]:
    names = [f"coef_{i}" for i in range(count)] + [f"intercept_{i}" for i in range(count)]
    missing = [name for name in names if name not in arrays]
    if missing:
        raise ValueError(f"the weights lack the arrays {', '.join(missing)}")
    return [arrays[f"coef_{i}"] for i in range(count)], [
        arrays[f"intercept_{i}"] for i in range(count)
    ]


def _check_shapes(coefs: list, intercepts: list, units: list[int]) -> None:
    for i, (coef, bias) in enumerate(zip(coefs, intercepts, strict=True)):
        expected = (units[i], units[i + 1])
        if coef.shape != expected or bias.shape != (units[i + 1],):
            raise ValueError(
                f"layer {i} of the weights is {coef.shape} + {bias.shape}, "
                f"the architecture needs {expected} + ({units[i + 1]},)"
            )
