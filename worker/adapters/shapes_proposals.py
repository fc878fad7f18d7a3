"""Region proposals for the shapes detector, from classical image processing.

The image is smoothed (the generated backgrounds carry pixel grain) and cut into
regions of similar colour by Felzenszwalb's graph segmentation, at one or more
scales; each region of plausible size becomes a candidate with its mask. Large
images are shrunk first so a photo costs what a thumbnail does; boxes come back
in the original pixels.
"""

from dataclasses import dataclass

import numpy as np
from skimage.measure import regionprops
from skimage.segmentation import felzenszwalb
from skimage.transform import rescale

from worker.adapters.images import as_rgb


@dataclass(frozen=True)
class ProposalSettings:
    scales: tuple[float, ...] = (200.0,)  # Felzenszwalb's scale: larger, fewer regions
    sigma: float = 0.8  # Gaussian smoothing before segmenting
    min_area: int = 40  # in pixels of the (possibly shrunk) image
    max_share: float = 0.6  # a region wider or taller than this share of the image is ground
    max_side: int = 128  # larger images are shrunk to this side: the scale it learns at

    @classmethod
    def from_configuration(cls, config: dict) -> "ProposalSettings":
        return cls(
            scales=_scales(config.get("proposal_scales", cls.scales)),
            sigma=float(config.get("proposal_sigma", cls.sigma)),
            min_area=int(config.get("proposal_min_area", cls.min_area)),
            max_share=float(config.get("proposal_max_share", cls.max_share)),
            max_side=int(config.get("proposal_max_side", cls.max_side)),
        )


def _scales(value: object) -> tuple[float, ...]:
    scales = value if isinstance(value, list | tuple) else [value]
    if not scales or not all(isinstance(s, int | float) and s > 0 for s in scales):
        raise ValueError(f"configuration 'proposal_scales' must list positive numbers: {value!r}")
    return tuple(float(scale) for scale in scales)


@dataclass
class Proposal:
    box: list[float]  # [x, y, width, height] in the original image's pixels
    region: object  # skimage RegionProperties on the (possibly shrunk) image
    image: np.ndarray  # the (possibly shrunk) image, float in [0, 1]


def proposals(image: np.ndarray, settings: ProposalSettings) -> list[Proposal]:
    small, factor = _shrunk(as_rgb(image), settings.max_side)
    found: list[Proposal] = []
    for scale in settings.scales:
        segments = felzenszwalb(small, scale=scale, sigma=settings.sigma, min_size=8)
        found.extend(_candidates(small, segments + 1, factor, settings))
    return found


def _shrunk(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """The image as floats in [0, 1], at most `max_side` pixels wide and tall."""
    factor = min(1.0, max_side / max(image.shape[:2]))
    pixels = image.astype(np.float64) / 255.0
    if factor < 1.0:
        pixels = rescale(pixels, factor, channel_axis=2, anti_aliasing=True)
    return pixels, factor


def _candidates(small: np.ndarray, labelled: np.ndarray, factor: float, settings) -> list:
    height, width = labelled.shape
    limit = settings.max_share * max(height, width)
    found = []
    for region in regionprops(labelled):
        top, left, bottom, right = region.bbox
        too_big = max(bottom - top, right - left) > limit
        if region.area < settings.min_area or too_big:
            continue
        box = [left / factor, top / factor, (right - left) / factor, (bottom - top) / factor]
        found.append(Proposal(box=box, region=region, image=small))
    return found
