"""Versions of the PyTorch packages over small generated image datasets stored as real files.

`colour_model`: a `resnet` version on which colour fills a noisy square;
`square_model`: a `detector` version on where a bright square lies. Each dataset's
train and validation items are PNG files in storage with their annotations.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image

from data.models import AnnotationKind
from registry.models import ModelVersion, OutputType
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)
from tests.worker.builtin_adapters.colours import COLOURS, colour_images
from tests.worker.builtin_adapters.squares import squares

COLOUR_QUICK = {"image_size": 32, "batch_size": 8, "learning_rate": 0.01}
# Faster R-CNN learns the squares from scratch in about ten epochs at 128 px on a CPU.
SQUARE_QUICK = {"image_size": 128, "batch_size": 4, "learning_rate": 0.001, "epochs": 10}


def png(image) -> ContentFile:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="image.png")


def _stored(dataset, labels: dict, subsets: dict, kind: str) -> None:
    """Each subset's generated images as items, and their truth as annotations."""
    for subset, data in subsets.items():
        for name, image, truth in zip(data.names, data.images, data.annotations, strict=True):
            height, width = image.shape[:2]
            item = ItemFactory(
                dataset=dataset,
                subset=subset,
                name=f"{subset}_{name}",
                file=png(image),
                width=width,
                height=height,
            )
            for one in truth:
                x, y, w, h = one.get("box", (None,) * 4)
                AnnotationFactory(
                    item=item, label=labels[one["label"]], kind=kind, x=x, y=y, w=w, h=h
                )


def colour_model(**configuration) -> ModelVersion:
    dataset = DatasetFactory()
    labels = {name: LabelFactory(dataset=dataset, name=name) for name in COLOURS}
    subsets = {"train": colour_images(24, seed=0), "validation": colour_images(9, seed=1)}
    _stored(dataset, labels, subsets, AnnotationKind.CLASS)
    package = PackageFactory(adapter="worker.adapters.resnet:ResNetAdapter")
    return ModelVersionFactory(
        project=dataset.project,
        package=package,
        dataset=dataset,
        labels=list(COLOURS),
        configuration={**COLOUR_QUICK, **configuration},
    )


def square_model(train: int = 32, validation: int = 16, **configuration) -> ModelVersion:
    dataset = DatasetFactory(annotation_kind=AnnotationKind.BOX)
    labels = {"square": LabelFactory(dataset=dataset, name="square")}
    subsets = {
        "train": squares(train, seed=0, sizes=(24, 40)),
        "validation": squares(validation, seed=1, sizes=(24, 40)),
    }
    _stored(dataset, labels, subsets, AnnotationKind.BOX)
    package = PackageFactory(
        adapter="worker.adapters.detector:DetectorAdapter", output_type=OutputType.BOX
    )
    return ModelVersionFactory(
        project=dataset.project,
        package=package,
        dataset=dataset,
        labels=["square"],
        configuration={**SQUARE_QUICK, **configuration},
    )
