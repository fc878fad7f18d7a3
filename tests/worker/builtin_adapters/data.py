"""The demo's digits and shapes in the adapter contract's form, split 70/15/15 (seeded)."""

import io

import numpy as np
from modelyard import Subset, TrainingData
from PIL import Image
from sklearn.datasets import load_digits

from demo.digits import DIGIT_LABELS
from demo.shapes import SHAPE_LABELS, shapes_images


def digits_data(seed: int = 0) -> TrainingData:
    digits = load_digits()
    images = [_digit_image(pixels) for pixels in digits.images]
    annotations = [[{"label": str(target)}] for target in digits.target]
    return _split(images, annotations, DIGIT_LABELS, seed)


def shapes_data(count: int = 300, seed: int = 0) -> TrainingData:
    images, annotations = [], []
    for shapes in shapes_images(count=count, seed=seed):
        images.append(np.asarray(Image.open(io.BytesIO(shapes.png)).convert("RGB")))
        annotations.append([{"label": label, "box": box} for label, box in shapes.boxes])
    return _split(images, annotations, SHAPE_LABELS, seed)


def subset_head(subset: Subset, count: int) -> Subset:
    return Subset(subset.names[:count], subset.images[:count], subset.annotations[:count])


def _digit_image(pixels: np.ndarray) -> np.ndarray:
    # As registry/demo/digits.py: dark ink on white, each of the 8×8 cells 8×8 pixels.
    grey = (255 - pixels * (255 / 16)).round().astype(np.uint8)
    large = np.kron(grey, np.ones((8, 8), dtype=np.uint8))
    return np.repeat(large[:, :, None], 3, axis=2)


def _split(images: list, annotations: list, labels: list[str], seed: int) -> TrainingData:
    order = np.random.default_rng(seed).permutation(len(images))
    train_end, validation_end = int(0.70 * len(images)), int(0.85 * len(images))

    def subset(indices: np.ndarray) -> Subset:
        return Subset(
            names=[f"image_{i:04d}.png" for i in indices],
            images=[images[i] for i in indices],
            annotations=[annotations[i] for i in indices],
        )

    return TrainingData(
        train=subset(order[:train_end]),
        validation=subset(order[train_end:validation_end]),
        labels=list(labels),
    )
