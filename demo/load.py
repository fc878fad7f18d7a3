"""What `manage.py load_demo` creates. Idempotent: each step looks for what it would
create and leaves it as it is when found, so a second run changes nothing."""

import time
from collections.abc import Callable
from dataclasses import dataclass

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
from registry.services.models import model_clone
from registry.services.packages import package_create
from registry.services.projects import project_create
from worker.adapters import digits_mlp, shapes_detector
from worker.inline import pretrain

Say = Callable[[str], None]
SPLIT = {"train": 70, "validation": 15, "test": 15, "seed": 0}


@dataclass(frozen=True)
class BuiltIn:
    """A public package, its pretrained version and the Demo project's version of it."""

    name: str
    output_type: str
    adapter: str
    description: str
    configuration: dict
    labels: list[str]
    dataset: str
    version: str

    @property
    def pretrained(self) -> str:
        return f"pretrained-{self.name}"


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
)


def demo_load(*, password: str, say: Say) -> None:
    user = _demo_user(password, say)
    project = _demo_project(user, say)
    datasets = {
        "digits": _digits_dataset(project, user, say),
        "shapes": _shapes_dataset(project, user, say),
    }
    for built_in in BUILT_INS:
        package = _public_package(built_in, say)
        pretrained = _pretrained_model(package, built_in, say)
        _pretrain(pretrained, datasets[built_in.dataset], say)
        _project_model(pretrained, built_in, project, datasets[built_in.dataset], user, say)


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
def _pretrained_model(package: Package, built_in: BuiltIn, say: Say) -> ModelVersion:
    # model_create needs a project; a public version is written directly, with its history.
    model = ModelVersion.objects.filter(
        project__isnull=True, package=package, name=built_in.pretrained
    ).first()
    if model is not None:
        say(f"model {built_in.pretrained}: exists, left as it is")
        return model
    model = ModelVersion.objects.create(
        project=None,
        package=package,
        name=built_in.pretrained,
        description=f"The public starting point of {package.name}; weights come with training.",
        configuration=dict(package.default_configuration),
        labels=list(built_in.labels),
        status=ModelStatus.CREATED,
    )
    StatusChange.objects.create(
        model=model, to_status=ModelStatus.CREATED, reason="created by load_demo"
    )
    say(f"model {built_in.pretrained}: created (public)")
    return model


def _pretrain(model: ModelVersion, dataset: Dataset, say: Say) -> None:
    if model.artifacts.exists():
        say(f"model {model.name}: has its weights, left as it is")
        return
    say(f"model {model.name}: training on {dataset.name} (train and validation subsets)")
    started = time.monotonic()
    pretrain(model=model, dataset=dataset, say=say)
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
        source=pretrained, name=built_in.version, user=user, project=project, dataset=dataset
    )
    say(f"model {built_in.version}: cloned from {pretrained.name}, on dataset {dataset.name}")
    return model
