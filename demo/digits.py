"""scikit-learn's bundled handwritten digits as 64×64 PNGs in a zip of label folders."""

import io
import zipfile
from collections.abc import Iterator

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

DIGIT_LABELS = [str(digit) for digit in range(10)]


def digits_images(size: int = 64) -> Iterator[tuple[str, str, bytes]]:
    """(file name, label, PNG bytes) for each of the 1,797 digits, dark ink on white."""
    digits = load_digits()
    scale = size // 8
    for index, (pixels, target) in enumerate(zip(digits.images, digits.target, strict=True)):
        # Values are 0..16 ink; nearest-neighbour upscaling keeps the 8×8 blocks sharp.
        grey = (255 - pixels * (255 / 16)).round().astype(np.uint8)
        large = np.kron(grey, np.ones((scale, scale), dtype=np.uint8))
        yield f"digit_{index + 1:04d}.png", str(target), _png(large)


def digits_zip() -> io.BytesIO:
    """The digits as the zip a user would upload: label/digit_0001.png."""
    buffer = io.BytesIO()
    # Stored, not deflated: PNG is compressed already.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, label, data in digits_images():
            archive.writestr(f"{label}/{name}", data)
    buffer.seek(0)
    buffer.name = "digits.zip"
    return buffer


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()
