"""`python manage.py demo_files` writes the files the documentation's examples use."""

import io
import json
import zipfile

from django.core.management import call_command
from PIL import Image


def test_it_writes_digits_two_images_and_a_coco_file_with_its_images(tmp_path):
    call_command("demo_files", str(tmp_path / "try"), stdout=io.StringIO())

    folder = tmp_path / "try"
    with zipfile.ZipFile(folder / "digits.zip") as archive:
        names = archive.namelist()
    coco = json.loads((folder / "shapes.json").read_text())
    assert len(names) == 1797
    assert names[0].count("/") == 1
    assert Image.open(folder / "a.png").size == (64, 64)
    assert (folder / "b.png").read_bytes() != (folder / "a.png").read_bytes()
    assert len(coco["images"]) == 20
    assert coco["annotations"]
    assert all((folder / "shapes" / image["file_name"]).exists() for image in coco["images"])
