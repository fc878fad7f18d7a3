"""An easy detection task made here: find the one bright square on dark noise."""

import numpy as np
from modelyard import Subset


def squares(count: int, seed: int = 0, side: int = 64, sizes=(16, 28)) -> Subset:
    """`count` images of `side` px; each square's side is drawn from `sizes` (low, high)."""
    rng = np.random.default_rng(seed)
    names, images, truth = [], [], []
    for index in range(count):
        image = rng.integers(0, 40, (side, side, 3)).astype(np.uint8)
        width = int(rng.integers(*sizes))
        x, y = (int(v) for v in rng.integers(0, side - width, 2))
        image[y : y + width, x : x + width] = 230
        names.append(f"{index}.png")
        images.append(image)
        truth.append([{"label": "square", "box": [x, y, width, width]}])
    return Subset(names, images, truth)
