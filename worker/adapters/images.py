"""Image helpers the built-in adapters share."""

import numpy as np


def as_rgb(image: np.ndarray) -> np.ndarray:
    """The image as height × width × 3 uint8, accepting grey and RGBA as well."""
    array = np.asarray(image)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or 0 in array.shape[:2]:
        raise ValueError(f"expected an RGB image (height × width × 3), got shape {array.shape}")
    # Alpha is dropped: the built-in models see colour only.
    return np.ascontiguousarray(array[:, :, :3]).astype(np.uint8, copy=False)
