"""Writes on datasets, labels, items and annotations.

SIGNATURES ONLY for now: implemented by the data work. Each function is
atomic (nothing half-imported) and raises django ValidationError naming the
field (or the file / row) on bad input.
"""

from django.core.exceptions import ValidationError  # noqa: F401

from registry.models import Annotation, Dataset, Item, Label, Project  # noqa: F401


def dataset_create(
    *, project, name: str, user, labels: list, annotation_kind: str = "class", description: str = ""
) -> Dataset:
    """labels: names or {"name", "color"} dicts, in order; colours generated when absent."""
    raise NotImplementedError


def dataset_update(
    *, dataset, name: str | None = None, description: str | None = None, labels: list | None = None
) -> Dataset:
    """labels replaces the label map: add, rename (by id), recolour, reorder; removing a label in use is refused."""
    raise NotImplementedError


def dataset_delete(*, dataset) -> None:
    raise NotImplementedError


def items_upload_images(*, dataset, files: list, user, subset: str = "none") -> list[Item]:
    raise NotImplementedError


def items_import_zip(*, dataset, archive, user) -> dict:
    """A zip of label/*.png folders (classification). Returns counts."""
    raise NotImplementedError


def items_import_coco(*, dataset, coco_file, images: list, user) -> dict:
    """A COCO JSON and its images (several files, or one zip). Returns counts."""
    raise NotImplementedError


def items_split(*, dataset, train: float, validation: float, test: float, seed: int = 0) -> dict:
    """Percentages (sum <= 100, the rest 'none'), seeded and reproducible. Returns counts per subset."""
    raise NotImplementedError


def items_assign_subset(*, dataset, item_ids: list[int], subset: str) -> int:
    raise NotImplementedError


def item_delete(*, item) -> None:
    raise NotImplementedError
