"""The training data of a model version, in the adapter contract's plain form."""

import numpy as np
from modelyard import Subset, TrainingData
from PIL import Image

from data.models import Annotation, AnnotationKind, Dataset, Item
from registry.models import ModelVersion
from registry.selectors.models import model_label_names
from worker.streams import StoredImages

CHUNK = 500


def training_data(model: ModelVersion, dataset: Dataset | None = None) -> TrainingData:
    """The model's train and validation subsets (of `dataset` if given, else its own)."""
    dataset = dataset or model.dataset
    if dataset is None:
        raise ValueError("The model has no dataset to train on; choose one on its page.")
    labels = model_label_names(model)
    return TrainingData(
        train=subset_data(dataset, model.train_subset, labels),
        validation=subset_data(dataset, model.validation_subset, labels),
        labels=labels,
    )


def subset_data(dataset: Dataset, subset: str, labels: list[str]) -> Subset:
    """Names and ground truth of one subset, read in chunks; labels outside `labels` drop.

    The images stay in storage: the subset reads one when it is indexed.
    """
    names, files, truth = [], [], []
    items = Item.objects.filter(dataset=dataset, subset=subset).order_by("id")
    known = set(labels)
    for start in range(0, items.count(), CHUNK):
        chunk = list(items[start : start + CHUNK].only("id", "name", "file"))
        annotations = _ground_truth_by_item(chunk, known)
        for item in chunk:
            names.append(item.name)
            files.append(item.file.name)
            truth.append(annotations.get(item.id, []))
    return Subset(names=names, images=StoredImages(files), annotations=truth)


def item_image(item: Item) -> np.ndarray:
    with item.file.open("rb") as handle, Image.open(handle) as image:
        return np.asarray(image.convert("RGB"))


def _ground_truth_by_item(items: list[Item], known: set[str]) -> dict[int, list[dict]]:
    rows = (
        Annotation.objects.filter(item__in=items, model__isnull=True, label__name__in=known)
        .select_related("label")
        .order_by("id")
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        entry = {"label": row.label.name}
        if row.kind == AnnotationKind.BOX:
            entry["box"] = [row.x, row.y, row.w, row.h]
        found.setdefault(row.item_id, []).append(entry)
    return found
