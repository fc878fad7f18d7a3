"""Files to try the SDK and the API with, made from the same data as the demo."""

import json
from pathlib import Path

from demo.digits import digits_images, digits_zip
from demo.shapes import shapes_coco, shapes_images


def sample_files_write(folder: Path, *, shapes: int = 20) -> list[Path]:
    """Into `folder`: digits.zip (label/*.png), two digits a.png and b.png, and a COCO
    file shapes.json with its images under shapes/. Returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "digits.zip"]
    written[0].write_bytes(digits_zip().getvalue())
    for (_, _, png), name in zip(digits_images(), ("a.png", "b.png"), strict=False):
        (folder / name).write_bytes(png)
        written.append(folder / name)
    return written + _shapes_write(folder, shapes)


def _shapes_write(folder: Path, count: int) -> list[Path]:
    images = list(shapes_images(count=count, seed=1))
    (folder / "shapes").mkdir(exist_ok=True)
    written = []
    for image in images:
        written.append(folder / "shapes" / image.name)
        written[-1].write_bytes(image.png)
    coco = folder / "shapes.json"
    coco.write_text(json.dumps(shapes_coco(images), indent=1))
    return [coco, *written]
