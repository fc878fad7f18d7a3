"""An easy image task made here: which colour fills a noisy square (red, green, blue)."""

import numpy as np
from modelyard import Subset, TrainingData

COLOURS = {"red": (200, 40, 40), "green": (40, 200, 40), "blue": (40, 40, 200)}


def colour_images(count: int, side: int = 32, seed: int = 0) -> Subset:
    rng = np.random.default_rng(seed)
    names, images, truth = [], [], []
    for index in range(count):
        label = list(COLOURS)[index % len(COLOURS)]
        noise = rng.integers(-70, 70, size=(side, side, 3))
        images.append(np.clip(np.array(COLOURS[label]) + noise, 0, 255).astype(np.uint8))
        names.append(f"{label}_{index}.png")
        truth.append([{"label": label}])
    return Subset(names, images, truth)


def colour_data(train: int = 48, validation: int = 15) -> TrainingData:
    return TrainingData(
        train=colour_images(train, seed=0),
        validation=colour_images(validation, seed=1),
        labels=list(COLOURS),
    )
