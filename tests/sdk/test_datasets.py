import json

import pytest
from modelyard import errors

from data.models import Annotation, Item
from tests.images import png_bytes, zip_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(yard):
    return yard.projects.get(project_name="Acme")


def write_pngs(folder, count: int, size: int = 16) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"img_{index:03d}.png"
        path.write_bytes(png_bytes(size, size, (index * 9 % 255, 40, 90)))
        paths.append(path)
    return paths


def write_coco(path, names: list[str], size: int = 16) -> None:
    coco = {
        "categories": [{"id": 1, "name": "bolt"}, {"id": 2, "name": "nut"}],
        "images": [
            {"id": index + 1, "file_name": name, "width": size, "height": size}
            for index, name in enumerate(names)
        ],
        "annotations": [
            {
                "id": index + 1,
                "image_id": index + 1,
                "category_id": 1 + index % 2,
                "bbox": [1, 2, 5, 6],
            }
            for index in range(len(names))
        ],
    }
    path.write_text(json.dumps(coco))


def test_upload_images_adds_each_file_as_an_item_in_the_subset(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits", labels=["0", "1"])
    paths = write_pngs(tmp_path, 3)

    items = dataset.upload_images(paths, subset="train")

    assert sorted(item.name for item in items) == ["img_000.png", "img_001.png", "img_002.png"]
    assert {item.subset for item in items} == {"train"}
    assert Item.objects.filter(dataset_id=dataset.id, subset="train").count() == 3


def test_upload_images_takes_a_folder(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits")
    write_pngs(tmp_path / "images", 4)
    (tmp_path / "images" / "notes.txt").write_text("not an image")

    items = dataset.upload_images(tmp_path / "images")

    assert len(items) == 4
    assert dataset.refresh().item_count == 4


def test_import_coco_sends_the_json_and_the_images_it_names(project, tmp_path):
    dataset = project.datasets.create(dataset_name="parts", annotation_kind="box")
    write_pngs(tmp_path / "images", 3)
    write_coco(tmp_path / "annotations.json", [f"images/img_{i:03d}.png" for i in range(3)])

    counts = dataset.import_coco(tmp_path / "annotations.json", images_dir=tmp_path)

    assert counts["items"] == 3
    assert counts["annotations"] == 3
    assert Annotation.objects.filter(item__dataset_id=dataset.id).count() == 3
    assert dataset.refresh().label_names == ["bolt", "nut"]


def test_import_coco_zips_many_images_into_one_upload(project, tmp_path):
    dataset = project.datasets.create(dataset_name="parts", annotation_kind="box")
    write_pngs(tmp_path / "images", 30)
    write_coco(tmp_path / "coco.json", [f"img_{i:03d}.png" for i in range(30)])

    counts = dataset.import_coco(str(tmp_path / "coco.json"), images_dir=str(tmp_path / "images"))

    assert counts["items"] == 30
    first = Annotation.objects.get(item__dataset_id=dataset.id, item__name="img_000.png")
    assert (first.x, first.y, first.w, first.h) == (1, 2, 5, 6)


def test_import_coco_with_a_missing_image_fails_before_uploading(project, tmp_path):
    dataset = project.datasets.create(dataset_name="parts", annotation_kind="box")
    write_pngs(tmp_path, 1)
    write_coco(tmp_path / "coco.json", ["img_000.png", "img_404.png"])

    with pytest.raises(FileNotFoundError, match="img_404.png"):
        dataset.import_coco(tmp_path / "coco.json")

    assert not Item.objects.filter(dataset_id=dataset.id).exists()


def test_import_coco_into_a_class_dataset_is_refused_with_the_server_reason(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits", annotation_kind="class")
    write_pngs(tmp_path, 1)
    write_coco(tmp_path / "coco.json", ["img_000.png"])

    with pytest.raises(errors.BadRequest) as raised:
        dataset.import_coco(tmp_path / "coco.json")

    assert "box dataset" in raised.value.message


def test_import_zip_of_label_folders_labels_each_item(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits", labels=["0", "1"])
    archive = tmp_path / "digits.zip"
    archive.write_bytes(zip_bytes({"0/a.png": png_bytes(), "1/b.png": png_bytes()}))

    counts = dataset.import_zip(archive)

    assert counts["items"] == 2
    labels = dict(Annotation.objects.values_list("item__name", "label__name"))
    assert labels == {"a.png": "0", "b.png": "1"}


def test_split_then_list_items_by_subset(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits")
    dataset.upload_images(write_pngs(tmp_path, 20))

    counts = dataset.split(train=50, validation=25, test=25, seed=1)

    assert sum(counts.values()) == 20
    train = dataset.items.list(subset="train")
    assert len(train) == counts["train"] > 0
    assert {item.subset for item in train} == {"train"}
    assert len(dataset.items.list()) == 20


def test_assign_subset_moves_the_given_items(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits")
    items = dataset.upload_images(write_pngs(tmp_path, 3))

    updated = dataset.assign_subset(items[:2], "test")

    assert updated == 2
    assert dataset.items.get(item_name=items[0].name).subset == "test"
    assert dataset.items.get(item_id=items[2].id).subset == "none"


def test_an_item_downloads_its_image(project, tmp_path):
    dataset = project.datasets.create(dataset_name="digits")
    [item] = dataset.upload_images(write_pngs(tmp_path / "in", 1))
    (tmp_path / "out").mkdir()

    saved = item.download(tmp_path / "out")

    assert saved.read_bytes() == (tmp_path / "in" / "img_000.png").read_bytes()


def test_export_coco_writes_the_boxes_it_imported(project, tmp_path):
    dataset = project.datasets.create(dataset_name="parts", annotation_kind="box")
    write_pngs(tmp_path, 2)
    write_coco(tmp_path / "coco.json", ["img_000.png", "img_001.png"])
    dataset.import_coco(tmp_path / "coco.json")

    exported = json.loads(dataset.export_coco(tmp_path / "export.json").read_text())

    assert sorted(image["file_name"] for image in exported["images"]) == [
        "img_000.png",
        "img_001.png",
    ]
    assert [annotation["bbox"] for annotation in exported["annotations"]] == [[1, 2, 5, 6]] * 2
