from io import StringIO

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image, ImageDraw

from data.models import Annotation, AnnotationKind, Dataset, Item, Label
from demo.shapes import SHAPE_LABELS, _draw, shapes_images
from registry.models import (
    Membership,
    ModelStatus,
    ModelVersion,
    Package,
    Project,
    Role,
    StatusChange,
    Subset,
)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    tables = (get_user_model(), Project, Membership, Dataset, Label, Item, Annotation)
    tables += (Package, ModelVersion, StatusChange)
    return {table.__name__: table.objects.count() for table in tables}


def subset_shares(dataset: Dataset) -> dict[str, float]:
    subsets = list(dataset.items.values_list("subset", flat=True))
    return {subset: subsets.count(subset) / len(subsets) for subset in Subset.values}


@pytest.mark.django_db
def test_load_demo_creates_the_demo_once_and_a_second_run_changes_nothing(media_in_tmp):
    first_output = load_demo()
    first = snapshot()
    second_output = load_demo()
    assert snapshot() == first
    assert "created" not in second_output
    assert "left as it is" in second_output
    assert "1797 images" in first_output

    demo = get_user_model().objects.get(username="demo")
    assert demo.check_password("demo")
    assert demo.is_staff
    assert demo.is_superuser
    project = Project.objects.get(name="Demo")
    assert Membership.objects.get(project=project, user=demo).role == Role.OWNER

    digits = Dataset.objects.get(project=project, name="digits")
    assert digits.annotation_kind == AnnotationKind.CLASS
    assert digits.items.count() == 1797
    assert list(digits.labels.values_list("name", flat=True)) == [str(n) for n in range(10)]
    assert len(set(digits.labels.values_list("color", flat=True))) == 10
    first_digit = digits.items.get(name="digit_0001.png")
    assert (first_digit.width, first_digit.height, first_digit.content_type) == (
        64,
        64,
        "image/png",
    )
    assert Annotation.objects.filter(item__dataset=digits, kind="class").count() == 1797

    shapes = Dataset.objects.get(project=project, name="shapes")
    assert shapes.annotation_kind == AnnotationKind.BOX
    assert shapes.items.count() == 300
    assert list(shapes.labels.values_list("name", flat=True)) == SHAPE_LABELS
    boxes = Annotation.objects.filter(item__dataset=shapes, kind="box")
    assert 300 <= boxes.count() <= 1200
    assert not shapes.items.filter(annotations__isnull=True).exists()

    for dataset in (digits, shapes):
        shares = subset_shares(dataset)
        assert shares["train"] == pytest.approx(0.70, abs=0.01)
        assert shares["validation"] == pytest.approx(0.15, abs=0.01)
        assert shares["test"] == pytest.approx(0.15, abs=0.01)

    packages = Package.objects.filter(project__isnull=True).order_by("name")
    assert [(p.name, p.output_type) for p in packages] == [
        ("detector", "box"),
        ("digits-mlp", "class"),
        ("resnet", "class"),
        ("shapes-detector", "box"),
    ]
    assert packages[1].default_configuration["hidden_layer_sizes"] == [64]
    assert packages[1].adapter == "worker.adapters.digits_mlp:DigitsMLPAdapter"

    pretrained = ModelVersion.objects.get(project__isnull=True, name="pretrained-digits-mlp")
    assert pretrained.status == ModelStatus.PRE_TRAINED
    assert pretrained.labels == [str(n) for n in range(10)]
    assert list(pretrained.status_changes.values_list("to_status", flat=True)) == [
        "created",
        "pre-trained",
    ]
    assert set(pretrained.artifacts.values_list("name", flat=True)) == {"weights.npz", "model.json"}
    assert pretrained.metric_series.get(name="accuracy/val").last_value > 0.9
    shapes_pretrained = ModelVersion.objects.get(name="pretrained-shapes-detector")
    assert shapes_pretrained.status == ModelStatus.PRE_TRAINED
    assert shapes_pretrained.metric_series.get(name="recall/val@0.5").last_value > 0.8
    assert ModelVersion.objects.filter(project__isnull=True).count() == 5
    v1 = ModelVersion.objects.get(project=project, name="digits-mlp v1")
    assert (v1.parent, v1.dataset) == (pretrained, digits)
    shapes_v1 = ModelVersion.objects.get(project=project, name="shapes-detector v1")
    assert shapes_v1.dataset == shapes
    assert shapes_v1.labels == SHAPE_LABELS
    assert_the_resnets_say_they_learned_the_digits_not_imagenet()
    assert_the_detector_says_it_learned_the_shapes_not_coco()


@pytest.mark.parametrize("label", SHAPE_LABELS)
def test_each_shape_fills_its_box_tightly(label):
    image = Image.new("L", (64, 64), 0)
    _draw(ImageDraw.Draw(image), label, [10, 20, 30, 30], 255)
    rows, cols = np.nonzero(np.asarray(image))
    assert (cols.min(), rows.min(), cols.max() + 1 - cols.min(), rows.max() + 1 - rows.min()) == (
        10,
        20,
        30,
        30,
    )


def test_the_shapes_are_seeded():
    first = [(image.png, image.boxes) for image in shapes_images(count=5, seed=3)]
    again = [(image.png, image.boxes) for image in shapes_images(count=5, seed=3)]
    other = [(image.png, image.boxes) for image in shapes_images(count=5, seed=4)]
    assert first == again
    assert first != other
    assert all(1 <= len(boxes) <= 4 for _, boxes in first)


def assert_the_resnets_say_they_learned_the_digits_not_imagenet() -> None:
    for name, architecture in (
        ("pretrained-resnet", "resnet18"),
        ("pretrained-resnet50", "resnet50"),
    ):
        model = ModelVersion.objects.get(project__isnull=True, package__name="resnet", name=name)
        assert model.status == ModelStatus.PRE_TRAINED
        assert model.configuration["architecture"] == architecture
        assert "not ImageNet" in model.description
        assert f"import_weights resnet {name}" in model.description
        tags = set(model.tags.values_list("name", flat=True))
        assert {"trained-on:demo-digits", "not-imagenet", "device:cpu"} <= tags
        assert set(model.artifacts.values_list("name", flat=True)) == {
            "model.safetensors",
            "model.json",
        }
        assert model.metric_series.get(name="accuracy/val").last_value > 0.6
    clone = ModelVersion.objects.get(project__name="Demo", name="resnet v1")
    assert clone.parent.name == "pretrained-resnet"


def assert_the_detector_says_it_learned_the_shapes_not_coco() -> None:
    model = ModelVersion.objects.get(project__isnull=True, name="pretrained-detector")
    assert model.status == ModelStatus.PRE_TRAINED
    assert model.package.output_type == "box"
    assert "not COCO" in model.description
    assert {"trained-on:demo-shapes", "not-coco"} <= set(model.tags.values_list("name", flat=True))
    assert set(model.artifacts.values_list("name", flat=True)) == {
        "model.safetensors",
        "model.json",
    }
    assert model.metric_series.filter(name="mAP/val").exists()
    clone = ModelVersion.objects.get(project__name="Demo", name="detector v1")
    assert (clone.parent, clone.labels) == (model, SHAPE_LABELS)
    assert clone.configuration["image_size"] == 96
