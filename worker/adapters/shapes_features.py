"""Hand-made features of a proposal: what its outline looks like, and how it stands out.

Shape descriptors separate circles (round, extent π/4), squares (extent 1, four
corners) and triangles (extent 1/2, three corners, heavy at the bottom); a coarse
occupancy grid of the mask lets the classifier learn templates of its own. Colour
statistics separate drawn shapes (flat fill, strong contrast with their
surroundings) from pieces of the noisy background.
"""

import numpy as np
from skimage.measure import approximate_polygon, find_contours
from skimage.morphology import binary_dilation, diamond

GRID = 4
CORNERS_MAX = 8


def features(proposal) -> np.ndarray:
    region, image = proposal.region, proposal.image
    return np.concatenate(
        [_outline(region), _grid(region.image), _corners(region.image), _colour(image, region)]
    )


def feature_count() -> int:
    return 8 + GRID * GRID + CORNERS_MAX + 4


def _outline(region) -> np.ndarray:
    top, left, bottom, right = region.bbox
    height, width = bottom - top, right - left
    circularity = 4 * np.pi * region.area / max(region.perimeter, 1.0) ** 2
    hu = region.moments_hu[:3]
    return np.array(
        [
            region.extent,
            region.solidity,
            region.eccentricity,
            min(circularity, 1.5),
            np.log(width / height),
            *(np.sign(hu) * np.log10(np.abs(hu) + 1e-12) / 12),  # Hu moments span decades
        ]
    )


def _grid(mask: np.ndarray) -> np.ndarray:
    """The share of each cell of a GRID × GRID partition of the box that the region fills."""
    rows = np.array_split(np.arange(mask.shape[0]), GRID)
    cols = np.array_split(np.arange(mask.shape[1]), GRID)
    cells = [mask[np.ix_(r, c)] for r in rows for c in cols]
    return np.array([cell.mean() if cell.size else 0.0 for cell in cells])


def _corners(mask: np.ndarray) -> np.ndarray:
    """One-hot count of the corners of the simplified outline (3 triangle, 4 square)."""
    padded = np.pad(mask, 1).astype(float)
    contours = find_contours(padded, 0.5)
    counts = np.zeros(CORNERS_MAX)
    if contours:
        outline = max(contours, key=len)
        # A tolerance relative to the size keeps corners and drops pixel steps.
        polygon = approximate_polygon(outline, tolerance=0.08 * max(mask.shape))
        counts[min(len(polygon) - 1, CORNERS_MAX) - 1] = 1.0
    return counts


def _colour(image: np.ndarray, region) -> np.ndarray:
    top, left, bottom, right = region.bbox
    pad = 3
    window = (slice(max(top - pad, 0), bottom + pad), slice(max(left - pad, 0), right + pad))
    inside = np.zeros(image.shape[:2], dtype=bool)
    inside[top:bottom, left:right] = region.image
    ring = binary_dilation(inside[window], footprint=diamond(pad)) & ~inside[window]
    inner, outer = image[window][inside[window]], image[window][ring]
    contrast = np.linalg.norm(inner.mean(axis=0) - outer.mean(axis=0)) if outer.size else 0.0
    touches = top == 0 or left == 0 or bottom == image.shape[0] or right == image.shape[1]
    return np.array([inner.std(axis=0).mean(), contrast, float(touches), np.sqrt(region.area) / 64])
