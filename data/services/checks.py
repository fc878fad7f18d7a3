"""Checks every import and edit of items applies: the subset named, a box inside its image."""

import math

from django.core.exceptions import ValidationError

from registry.models import Subset

# Half a pixel of slack: exporters round box corners differently.
BOX_TOLERANCE = 0.5


def checked_subset(subset: str, field: str = "subset") -> str:
    if subset not in Subset.values:
        raise ValidationError({field: f"The subset is one of {', '.join(Subset.values)}."})
    return subset


def checked_box(box, *, width: int, height: int) -> tuple[float, float, float, float]:
    """[x, y, w, h] inside a width×height image (half a pixel of slack, then clamped).
    Raises ValueError saying what is wrong."""
    if not isinstance(box, list | tuple) or len(box) != 4:
        raise ValueError("a box is [x, y, width, height]")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box):
        raise ValueError(f"box {list(box)} must hold four numbers")
    x, y, w, h = (float(value) for value in box)
    if not all(math.isfinite(value) for value in (x, y, w, h)) or w <= 0 or h <= 0:
        raise ValueError(f"box {list(box)} needs a positive width and height")
    tol = BOX_TOLERANCE
    if x < -tol or y < -tol or x + w > width + tol or y + h > height + tol:
        raise ValueError(f"box {list(box)} is outside the {width}×{height} image")
    left, top = max(x, 0.0), max(y, 0.0)
    return left, top, min(x + w, width) - left, min(y + h, height) - top
