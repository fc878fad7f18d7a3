"""A seeded detection dataset: circles, squares and triangles on noisy backgrounds.

Each image gets 1 to 4 shapes of several sizes and colours; shapes overlap
sometimes (a later shape never hides much of an earlier one). Boxes are tight: the pixel
extent of each drawn shape, as [x, y, width, height].
"""

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SHAPE_LABELS = ["circle", "square", "triangle"]
COLOURS = [
    (220, 40, 40), (40, 170, 60), (40, 80, 220), (240, 200, 30),
    (200, 50, 200), (30, 200, 210), (250, 130, 20), (250, 250, 250), (20, 20, 20),
]  # fmt: skip
MAX_HIDDEN = 0.3  # the share of an earlier shape a later one may cover


@dataclass
class ShapesImage:
    name: str
    png: bytes
    size: int
    boxes: list[tuple[str, list[int]]] = field(default_factory=list)


def shapes_images(count: int = 300, size: int = 128, seed: int = 0) -> Iterator[ShapesImage]:
    rng = np.random.default_rng(seed)
    for index in range(count):
        image = _background(rng, size)
        draw = ImageDraw.Draw(image)
        boxes: list[tuple[str, list[int]]] = []
        for _ in range(rng.integers(1, 5)):
            placed = _placed_box(rng, size, [box for _, box in boxes])
            if placed is not None:
                label = SHAPE_LABELS[rng.integers(len(SHAPE_LABELS))]
                _draw(draw, label, placed, _colour(rng))
                boxes.append((label, placed))
        yield ShapesImage(
            name=f"shapes_{index + 1:04d}.png", png=_png(image), size=size, boxes=boxes
        )


def shapes_coco(images: list[ShapesImage]) -> dict:
    categories = [{"id": index, "name": name} for index, name in enumerate(SHAPE_LABELS, start=1)]
    category_id = {row["name"]: row["id"] for row in categories}
    coco_images, annotations = [], []
    for image_id, image in enumerate(images, start=1):
        coco_images.append(
            {"id": image_id, "file_name": image.name, "width": image.size, "height": image.size}
        )
        for label, box in image.boxes:
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": image_id,
                    "category_id": category_id[label],
                    "bbox": box,
                }
            )
    return {"images": coco_images, "annotations": annotations, "categories": categories}


def shapes_upload(count: int = 300, seed: int = 0) -> tuple[io.BytesIO, io.BytesIO]:
    """The COCO file and a zip of the images, as a user would upload them."""
    images = list(shapes_images(count=count, seed=seed))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as writer:
        for image in images:
            writer.writestr(image.name, image.png)
    archive.seek(0)
    archive.name = "shapes.zip"
    coco = io.BytesIO(json.dumps(shapes_coco(images)).encode())
    coco.name = "shapes.json"
    return coco, archive


def _background(rng: np.random.Generator, size: int) -> Image.Image:
    """A muted base colour, smooth blotches (coarse noise upscaled) and fine grain."""
    base = rng.uniform(60, 190, size=3)
    coarse = rng.normal(0, 25, size=(size // 16, size // 16, 3))
    blotches = np.asarray(
        Image.fromarray(np.clip(coarse + 128, 0, 255).astype(np.uint8)).resize(
            (size, size), Image.Resampling.BICUBIC
        ),
        dtype=np.float32,
    )
    grain = rng.normal(0, 12, size=(size, size, 3))
    pixels = base + (blotches - 128) + grain
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _placed_box(rng: np.random.Generator, size: int, taken: list[list[int]]) -> list[int] | None:
    """A free square box [x, y, side, side], or None after a few tries."""
    for _ in range(20):
        side = int(rng.integers(14, size * 3 // 8 + 1))
        x, y = (int(value) for value in rng.integers(0, size - side + 1, size=2))
        box = [x, y, side, side]
        if all(_hidden_share(box, other) < MAX_HIDDEN for other in taken):
            return box
    return None


def _draw(draw: ImageDraw.ImageDraw, label: str, box: list[int], colour: tuple) -> None:
    x, y, side, _ = box
    right, bottom = x + side - 1, y + side - 1
    if label == "circle":
        draw.ellipse([x, y, right, bottom], fill=colour)
    elif label == "square":
        draw.rectangle([x, y, right, bottom], fill=colour)
    else:
        draw.polygon([(x + (side - 1) / 2, y), (x, bottom), (right, bottom)], fill=colour)


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    base = np.array(COLOURS[rng.integers(len(COLOURS))])
    return tuple(int(v) for v in np.clip(base + rng.integers(-20, 21, size=3), 0, 255))


def _hidden_share(new: list[int], old: list[int]) -> float:
    """How much of `old` the box `new`, drawn over it, covers."""
    width = min(new[0] + new[2], old[0] + old[2]) - max(new[0], old[0])
    height = min(new[1] + new[3], old[1] + old[3]) - max(new[1], old[1])
    return max(width, 0) * max(height, 0) / (old[2] * old[3])


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
