"""What `manage.py load_demo` creates. Idempotent: each step looks for what it would
create and leaves it as it is when found, so a second run changes nothing."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from data.models import AnnotationKind, Dataset
from data.services.datasets import dataset_create, items_import_coco, items_import_zip, items_split
from demo.digits import DIGIT_LABELS, digits_zip
from demo.shapes import SHAPE_LABELS, shapes_upload
from registry.models import (
    Membership,
    ModelStatus,
    ModelVersion,
    OutputType,
    Package,
    Project,
    Role,
    StatusChange,
    Subset,
)
from registry.services.models import model_clone, model_set_tags
from registry.services.packages import package_create
from registry.services.projects import project_create
from worker.adapters import digits_mlp, shapes_detector
from worker.adapters.torch_config import DETECTOR_DEFAULTS, RESNET_DEFAULTS
from worker.inline import pretrain

Say = Callable[[str], None]
SPLIT = {"train": 70, "validation": 15, "test": 15, "seed": 0}


@dataclass(frozen=True)
class Pretrained:
    """A public version of a built-in package, trained by load_demo on the demo data."""

    name: str
    configuration: dict = field(default_factory=dict)  # over the package's defaults
    description: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuiltIn:
    """A public package, its pretrained versions and the Demo project's version of it.

    The Demo version is a clone of the first pretrained version.
    """

    name: str
    output_type: str
    adapter: str
    description: str
    configuration: dict
    labels: list[str]
    dataset: str
    version: str
    versions: tuple[Pretrained, ...] = ()
    version_configuration: dict = field(default_factory=dict)  # the Demo clone's, over its parent's

    @property
    def pretrained_versions(self) -> tuple[Pretrained, ...]:
        return self.versions or (Pretrained(f"pretrained-{self.name}"),)

    @property
    def pretrained(self) -> str:
        return self.pretrained_versions[0].name


NOT_IMAGENET = (
    "Trained by load_demo on the demo digits (scikit-learn's 8×8 handwritten digits, "
    "upscaled), not ImageNet: its backbone has seen 1,258 small grey digits and nothing "
    "else. Install real ImageNet weights with `python manage.py import_weights resnet "
    "{name} PATH`."
)
DEMO_TAGS = ("trained-on:demo-digits", "not-imagenet")
NOT_COCO = (
    "Trained by load_demo for {epochs} epoch(s) on the 210 training images of the demo "
    "shapes (circles, squares and triangles), from random weights, not COCO: a starting "
    "point whose boxes are poor. Clone it and train it for 20 epochs or more before you "
    "trust it, or install real weights with `python manage.py import_weights detector "
    "pretrained-detector PATH`."
)
# Quick enough for load_demo on a CPU; the Demo's clone trains longer (version_configuration).
DETECTOR_DEMO = {"image_size": 64, "epochs": 1, "batch_size": 8, "learning_rate": 0.001}
# Small and quick enough for load_demo on a CPU; a clone may train with any values.
RESNET_DEMO = {"image_size": 32, "batch_size": 64, "learning_rate": 0.05}
# ResNet-50 from scratch diverges with SGD at 0.05 on 32 px digits; AdamW does not.
RESNET50_DEMO = {
    "architecture": "resnet50",
    "epochs": 2,
    "optimizer": "adamw",
    "learning_rate": 0.002,
}


BUILT_INS = (
    BuiltIn(
        name="digits-mlp",
        output_type=OutputType.CLASS,
        adapter="worker.adapters.digits_mlp:DigitsMLPAdapter",
        description="A multi-layer perceptron for small grey images: image → class.",
        # The package's defaults are the adapter's own, so the two never drift apart.
        configuration=dict(digits_mlp.DEFAULTS),
        labels=DIGIT_LABELS,
        dataset="digits",
        version="digits-mlp v1",
    ),
    BuiltIn(
        name="shapes-detector",
        output_type=OutputType.BOX,
        adapter="worker.adapters.shapes_detector:ShapesDetectorAdapter",
        description="A small detector of circles, squares and triangles: image → boxes.",
        configuration=dict(shapes_detector.DEFAULTS),
        labels=SHAPE_LABELS,
        dataset="shapes",
        version="shapes-detector v1",
    ),
    BuiltIn(
        name="resnet",
        output_type=OutputType.CLASS,
        adapter="worker.adapters.resnet:ResNetAdapter",
        description=(
            "torchvision's ResNet (18, 34 or 50 layers): image → class, with every "
            "label's score. Trains on the CPU or a GPU worker (device: auto)."
        ),
        configuration=dict(RESNET_DEFAULTS),
        labels=DIGIT_LABELS,
        dataset="digits",
        version="resnet v1",
        versions=(
            Pretrained(
                "pretrained-resnet",
                {**RESNET_DEMO, "architecture": "resnet18", "epochs": 3},
                NOT_IMAGENET.format(name="pretrained-resnet"),
                DEMO_TAGS,
            ),
            Pretrained(
                "pretrained-resnet50",
                {**RESNET_DEMO, **RESNET50_DEMO},
                NOT_IMAGENET.format(name="pretrained-resnet50"),
                DEMO_TAGS,
            ),
        ),
    ),
    BuiltIn(
        name="detector",
        output_type=OutputType.BOX,
        adapter="worker.adapters.detector:DetectorAdapter",
        description=(
            "torchvision's Faster R-CNN with a MobileNetV3-Large FPN backbone (or "
            "SSDlite320, RetinaNet ResNet-50 FPN): image → labelled boxes."
        ),
        configuration=dict(DETECTOR_DEFAULTS),
        labels=SHAPE_LABELS,
        dataset="shapes",
        version="detector v1",
        version_configuration={"image_size": 96, "epochs": 12, "learning_rate": 0.0003},
        versions=(
            Pretrained(
                "pretrained-detector",
                DETECTOR_DEMO,
                NOT_COCO.format(epochs=DETECTOR_DEMO["epochs"]),
                ("trained-on:demo-shapes", "not-coco"),
            ),
        ),
    ),
)


def demo_load(*, password: str, say: Say, retrain: bool = False) -> None:
    """`retrain`: train the pretrained versions even where an identical training is cached."""
    user = _demo_user(password, say)
    project = _demo_project(user, say)
    datasets = {
        "digits": _digits_dataset(project, user, say),
        "shapes": _shapes_dataset(project, user, say),
    }
    for built_in in BUILT_INS:
        package = _public_package(built_in, say)
        dataset = datasets[built_in.dataset]
        pretrained = [
            _pretrained_model(package, built_in, version, say)
            for version in built_in.pretrained_versions
        ]
        for model in pretrained:
            _pretrain(model, dataset, say, use_cache=not retrain)
        _project_model(pretrained[0], built_in, project, dataset, user, say)


def _demo_user(password: str, say: Say):
    user = get_user_model().objects.filter(username="demo").first()
    if user is not None:
        say("user demo: exists, left as it is")
        return user
    user = get_user_model().objects.create_user(
        username="demo",
        password=password,
        email="demo@example.com",
        is_staff=True,
        is_superuser=True,
    )
    say("user demo: created (staff and superuser, so the admin works too)")
    return user


def _demo_project(user, say: Say) -> Project:
    project = Project.objects.filter(name="Demo").first()
    if project is None:
        project = project_create(
            name="Demo", description="Digits and shapes to try Modelyard on.", user=user
        )
        say("project Demo: created, demo is its owner")
    elif not Membership.objects.filter(project=project, user=user).exists():
        Membership.objects.create(project=project, user=user, role=Role.OWNER)
        say("project Demo: exists; demo added as its owner")
    else:
        say("project Demo: exists, left as it is")
    return project


def _digits_dataset(project: Project, user, say: Say) -> Dataset:
    description = "scikit-learn's 1,797 handwritten digits, upscaled to 64×64."
    dataset = _dataset(project, "digits", AnnotationKind.CLASS, DIGIT_LABELS, description, user)
    if not dataset.items.exists():
        counts = items_import_zip(dataset=dataset, archive=digits_zip(), user=user)
        say(f"dataset digits: {counts['items']} images with their class labels imported")
    _split(dataset, say)
    return dataset


def _shapes_dataset(project: Project, user, say: Say) -> Dataset:
    description = "Generated circles, squares and triangles on noisy backgrounds (seed 0)."
    dataset = _dataset(project, "shapes", AnnotationKind.BOX, SHAPE_LABELS, description, user)
    if not dataset.items.exists():
        coco_file, archive = shapes_upload()
        counts = items_import_coco(
            dataset=dataset, coco_file=coco_file, images=[archive], user=user
        )
        say(f"dataset shapes: {counts['items']} images with {counts['annotations']} boxes imported")
    _split(dataset, say)
    return dataset


def _dataset(
    project: Project, name: str, kind: str, labels: list, description: str, user
) -> Dataset:
    dataset = Dataset.objects.filter(project=project, name=name).first()
    if dataset is not None:
        return dataset
    return dataset_create(
        project=project,
        name=name,
        user=user,
        labels=labels,
        annotation_kind=kind,
        description=description,
    )


def _split(dataset: Dataset, say: Say) -> None:
    # Split once: a user's later re-split of the demo data is theirs to keep.
    if dataset.items.exclude(subset=Subset.NONE).exists():
        say(f"dataset {dataset.name}: {dataset.items.count()} items, already split; left as it is")
        return
    counts = items_split(dataset=dataset, **SPLIT)
    summary = " / ".join(f"{subset} {count}" for subset, count in counts.items())
    say(f"dataset {dataset.name}: split {summary}")


def _public_package(built_in: BuiltIn, say: Say) -> Package:
    package = Package.objects.filter(project__isnull=True, name=built_in.name).first()
    if package is not None:
        say(f"package {built_in.name}: exists, left as it is")
        return package
    package = package_create(
        project=None,
        name=built_in.name,
        adapter=built_in.adapter,
        output_type=built_in.output_type,
        description=built_in.description,
        default_configuration=built_in.configuration,
    )
    say(f"package {built_in.name}: created (public, adapter {built_in.adapter})")
    return package


@transaction.atomic
def _pretrained_model(
    package: Package, built_in: BuiltIn, version: Pretrained, say: Say
) -> ModelVersion:
    # model_create needs a project; a public version is written directly, with its history.
    model = ModelVersion.objects.filter(
        project__isnull=True, package=package, name=version.name
    ).first()
    if model is not None:
        say(f"model {version.name}: exists, left as it is")
        return model
    default = f"The public starting point of {package.name}; weights come with training."
    model = ModelVersion.objects.create(
        project=None,
        package=package,
        name=version.name,
        description=version.description or default,
        configuration={**package.default_configuration, **version.configuration},
        labels=list(built_in.labels),
        status=ModelStatus.CREATED,
    )
    model_set_tags(model=model, tags=list(version.tags))
    StatusChange.objects.create(
        model=model, to_status=ModelStatus.CREATED, reason="created by load_demo"
    )
    say(f"model {version.name}: created (public)")
    return model


def _pretrain(model: ModelVersion, dataset: Dataset, say: Say, use_cache: bool) -> None:
    if model.artifacts.exists():
        say(f"model {model.name}: has its weights, left as it is")
        return
    say(f"model {model.name}: training on {dataset.name} (train and validation subsets)")
    started = time.monotonic()
    pretrain(model=model, dataset=dataset, say=say, use_cache=use_cache)
    say(f"model {model.name}: pre-trained in {time.monotonic() - started:.1f} s")


def _project_model(
    pretrained: ModelVersion, built_in: BuiltIn, project: Project, dataset: Dataset, user, say: Say
) -> ModelVersion:
    model = ModelVersion.objects.filter(project=project, name=built_in.version).first()
    if model is not None:
        say(f"model {built_in.version}: exists, left as it is")
        return model
    # A clone, so the Demo version shows its lineage back to the public one.
    model = model_clone(
        source=pretrained,
        name=built_in.version,
        user=user,
        project=project,
        dataset=dataset,
        configuration=built_in.version_configuration,
    )
    say(f"model {built_in.version}: cloned from {pretrained.name}, on dataset {dataset.name}")
    return model
