"""Datasets and their items: uploads, imports, splits and the COCO export."""

from __future__ import annotations

import builtins
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from tqdm.auto import tqdm

from modelyard.entities.base import Entity, Repository, download_target, id_arg, one_of, optional_id

PathLike = str | os.PathLike[str]
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"})
#: Files per upload request (the server takes at most 1,000 files per request).
UPLOAD_BATCH = 100
#: A COCO import with more images than this sends them as one zip.
COCO_ZIP_OVER = 20


class Item(Entity):
    """One image of a dataset, with its ground-truth ``annotations`` (dicts)."""

    path = "items"
    dataset: int
    subset: str
    width: int
    height: int
    size: int
    content_type: str
    metadata: dict[str, Any]
    file_url: str
    annotations: list[dict[str, Any]]
    created_at: str

    def download(self, dest: PathLike) -> Path:
        """Save the image to ``dest`` (a file, or a folder to keep its name in)."""
        target = download_target(dest, self.name)
        return self.client.download(f"items/{self.id}/file", target)

    def delete(self) -> None:
        self._delete()


class Items(Repository[Item]):
    entity = Item
    noun = "item"

    def get(self, item_name: str | None = None, item_id: int | str | None = None) -> Item:
        """An item by file name (unique in its dataset) or id."""
        one_of(item_name, item_id, "item")
        if item_id is not None:
            return self._by_id(item_id)
        return self._by_name(str(item_name))

    def list(self, subset: str | None = None, **filters: Any) -> builtins.list[Item]:
        """Items, optionally of one subset (train, validation, test, none) or ``label=``."""
        return super().list(subset=subset, **filters)


class Dataset(Entity):
    """A dataset: ``labels`` is its label map (dicts with id, name, color), in order."""

    path = "datasets"
    project: int
    description: str
    annotation_kind: str
    labels: list[dict[str, Any]]
    item_count: int
    created_at: str

    @property
    def items(self) -> Items:
        return Items(self.client, dataset=self)

    @property
    def label_names(self) -> list[str]:
        return [label["name"] for label in self.raw.get("labels", [])]

    def upload_images(
        self,
        paths: PathLike | Iterable[PathLike],
        subset: str | None = None,
        progress: bool = False,
    ) -> list[Item]:
        """Add image files (or every image in a folder) as items, optionally in a subset."""
        files = _image_paths(paths)
        fields = [("dataset", str(self.id))] + ([("subset", subset)] if subset else [])
        created: list[Item] = []
        with tqdm(total=len(files), disable=not progress, unit="image") as bar:
            for start in range(0, len(files), UPLOAD_BATCH):
                batch = [("files", path, path.name) for path in files[start : start + UPLOAD_BATCH]]
                rows = self.client.upload("items", fields, batch)
                created += [Item(self.client, row) for row in rows]
                bar.update(len(batch))
        return created

    def import_coco(self, annotations: PathLike, images_dir: PathLike | None = None) -> dict:
        """Import a COCO file's boxes with the images it names, found in ``images_dir``
        (default: the COCO file's folder). All or nothing; returns the server's counts."""
        coco = Path(annotations)
        images = _coco_images(coco, Path(images_dir) if images_dir else coco.parent)
        with _images_part(images) as parts:
            files = [("coco", coco, coco.name), *parts]
            return self.client.upload(f"datasets/{self.id}/import", (), files)

    def import_zip(self, path: PathLike) -> dict:
        """Import a zip of ``<label>/<image>`` folders (class datasets). All or nothing."""
        archive = Path(path)
        files = [("archive", archive, archive.name)]
        return self.client.upload(f"datasets/{self.id}/import", (), files)

    def split(
        self, train: float = 70, validation: float = 15, test: float = 15, seed: int = 0
    ) -> dict:
        """Sort the items into subsets by percentages; the same seed gives the same split."""
        body = {"train": train, "validation": validation, "test": test, "seed": seed}
        return self.client.post(f"datasets/{self.id}/split", body)

    def assign_subset(self, items: Iterable[Item | int], subset: str) -> int:
        """Put the given items in one subset; returns how many were updated."""
        body = {"items": [id_arg(item, "items") for item in items], "subset": subset}
        return int(self.client.post(f"datasets/{self.id}/assign_subset", body)["updated"])

    def export_coco(self, path: PathLike) -> Path:
        """Save the ground truth as a COCO JSON file."""
        return self.client.download(f"datasets/{self.id}/export", Path(path))

    def update(
        self,
        dataset_name: str | None = None,
        description: str | None = None,
        labels: list[str | dict[str, Any]] | None = None,
    ) -> Dataset:
        """Rename, describe, or replace the label map (keep a label's id to rename it)."""
        return self._patch({"name": dataset_name, "description": description, "labels": labels})

    def delete(self) -> None:
        self._delete()


class Datasets(Repository[Dataset]):
    entity = Dataset
    noun = "dataset"

    def get(self, dataset_name: str | None = None, dataset_id: int | str | None = None) -> Dataset:
        """A dataset by name (in this project) or id (``12`` or ``"12"``)."""
        one_of(dataset_name, dataset_id, "dataset")
        if dataset_id is not None:
            return self._by_id(dataset_id)
        return self._by_name(str(dataset_name))

    def create(
        self,
        dataset_name: str,
        labels: Iterable[str | dict[str, Any]] = (),
        annotation_kind: str = "class",
        description: str = "",
        project_id: int | str | Entity | None = None,
    ) -> Dataset:
        """A new dataset: ``labels`` are names (or dicts with name and color), in order;
        ``annotation_kind`` is "class" or "box"."""
        project = optional_id(project_id, "project_id") or self.scope.get("project")
        if project is None:
            raise TypeError("Say which project: project.datasets.create(...) or project_id=.")
        body = {
            "project": project,
            "name": dataset_name,
            "labels": list(labels),
            "annotation_kind": annotation_kind,
            "description": description,
        }
        return Dataset(self.client, self.client.post("datasets", body))


def _image_paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(path)
    return found


def _coco_images(coco: Path, images_dir: Path) -> list[Path]:
    """The files the COCO file names, found by their path or their name in ``images_dir``."""
    data = json.loads(coco.read_text())
    names = [str(image.get("file_name", "")) for image in data.get("images", [])]
    located = {name: _coco_file(images_dir, name) for name in names}
    missing = [name for name, path in located.items() if path is None]
    if missing:
        shown = ", ".join(missing[:5])
        where = f"{len(missing)} images of {coco.name} not in {images_dir}"
        raise FileNotFoundError(f"{where}: {shown}")
    return [path for path in located.values() if path is not None]


def _coco_file(images_dir: Path, name: str) -> Path | None:
    name = name.replace("\\", "/")
    for path in (images_dir / name, images_dir / PurePosixPath(name).name):
        if path.is_file():
            return path
    return None


@contextmanager
def _images_part(images: list[Path]) -> Iterator[list[tuple[str, Path, str]]]:
    """The images as form parts: each file, or one temporary zip when there are many."""
    if len(images) <= COCO_ZIP_OVER:
        yield [("images", path, path.name) for path in images]
        return
    with tempfile.TemporaryDirectory(prefix="modelyard-") as folder:
        archive = Path(folder) / "images.zip"
        # Stored, not deflated: images are compressed already.
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
            for path in images:
                bundle.write(path, arcname=path.name)
        yield [("images", archive, archive.name)]
