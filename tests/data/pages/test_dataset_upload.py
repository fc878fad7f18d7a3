"""The upload page: loose images, a zip of label folders, a COCO JSON with its images."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data.models import Annotation, Item, Label
from tests.factories import DatasetFactory, ItemFactory
from tests.images import jpeg_bytes, png_bytes, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes(cast):
    return DatasetFactory(project=cast.project, annotation_kind="class")


@pytest.fixture
def boxes(cast):
    return DatasetFactory(project=cast.project, annotation_kind="box")


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/upload/"


def _png(name: str, width: int = 16, height: int = 16) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(width, height), content_type="image/png")


def _coco(names: list[str], size: int = 16) -> dict:
    images = [
        {"id": index, "file_name": name, "width": size, "height": size}
        for index, name in enumerate(names, start=1)
    ]
    boxes = [
        {"id": index, "image_id": index, "category_id": 7, "bbox": [1, 2, 5, 6]}
        for index in range(1, len(names) + 1)
    ]
    return {"images": images, "annotations": boxes, "categories": [{"id": 7, "name": "bolt"}]}


def _stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def test_the_page_offers_the_ways_that_suit_the_dataset(client, cast, classes, boxes):
    client.force_login(cast.developer)

    class_page = client.get(_url(classes)).content.decode()
    box_page = client.get(_url(boxes)).content.decode()

    assert 'href="?tab=zip"' in class_page
    assert 'href="?tab=coco"' not in class_page
    assert 'href="?tab=coco"' in box_page
    assert 'href="?tab=zip"' not in box_page
    assert 'type="file" name="images-files" accept="image/*" multiple' in class_page
    assert 'enctype="multipart/form-data"' in class_page


def test_several_pngs_become_items_of_the_chosen_subset(client, cast, classes):
    client.force_login(cast.developer)

    response = client.post(
        _url(classes),
        {
            "upload": "images",
            "images-files": [_png("a.png"), _png("b.png", 20, 10), _png("c.png")],
            "images-subset": "train",
        },
        follow=True,
    )

    grid = f"/projects/{cast.project.id}/datasets/{classes.id}/"
    assert response.redirect_chain == [(grid, 302)]
    assert "Added 3 items." in response.content.decode()
    items = list(classes.items.order_by("name").values_list("name", "width", "height", "subset"))
    assert items == [
        ("a.png", 16, 16, "train"),
        ("b.png", 20, 10, "train"),
        ("c.png", 16, 16, "train"),
    ]


def test_a_zip_of_label_folders_adds_items_labels_and_annotations(client, cast, classes):
    archive = zip_bytes(
        {"cat/1.png": png_bytes(), "cat/2.png": png_bytes(), "dog/3.png": png_bytes()}
    )
    client.force_login(cast.developer)

    response = client.post(
        _url(classes),
        {"upload": "zip", "zip-archive": SimpleUploadedFile("pets.zip", archive)},
        follow=True,
    )

    assert "Added 3 items, 3 annotations, 2 labels." in response.content.decode()
    assert list(classes.labels.values_list("name", flat=True)) == ["cat", "dog"]
    labelled = Annotation.objects.filter(item__dataset=classes)
    assert sorted(labelled.values_list("item__name", "label__name")) == [
        ("1.png", "cat"),
        ("2.png", "cat"),
        ("3.png", "dog"),
    ]


def test_a_coco_file_with_its_images_adds_boxes(client, cast, boxes):
    coco = SimpleUploadedFile("coco.json", json.dumps(_coco(["a.png", "b.jpg"])).encode())
    images = [_png("a.png"), SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg")]
    client.force_login(cast.developer)

    response = client.post(
        _url(boxes),
        {"upload": "coco", "coco-coco_file": coco, "coco-images": images},
        follow=True,
    )

    assert "Added 2 items, 2 annotations, 1 label." in response.content.decode()
    annotation = Annotation.objects.get(item__name="a.png")
    assert (annotation.label.name, annotation.kind) == ("bolt", "box")
    assert [annotation.x, annotation.y, annotation.w, annotation.h] == [1, 2, 5, 6]


def test_a_coco_file_with_its_images_in_one_zip(client, cast, boxes):
    coco = SimpleUploadedFile("coco.json", json.dumps(_coco(["a.png", "b.png"])).encode())
    archive = zip_bytes({"images/a.png": png_bytes(), "images/b.png": png_bytes()})
    client.force_login(cast.developer)

    client.post(
        _url(boxes),
        {
            "upload": "coco",
            "coco-coco_file": coco,
            "coco-images": [SimpleUploadedFile("images.zip", archive)],
        },
    )

    assert sorted(boxes.items.values_list("name", flat=True)) == ["a.png", "b.png"]
    assert Annotation.objects.filter(item__dataset=boxes).count() == 2


def test_a_file_that_is_not_an_image_is_named_and_nothing_is_imported(
    client, cast, classes, media_in_tmp
):
    files = [_png("good.png"), SimpleUploadedFile("notes.png", b"just some text")]
    client.force_login(cast.developer)

    response = client.post(_url(classes), {"upload": "images", "images-files": files})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" role="alert"' in html
    assert "notes.png" in html
    assert not Item.objects.exists()
    assert _stored_files(media_in_tmp) == []


def test_a_zip_with_a_path_out_of_its_folder_is_refused(client, cast, classes, media_in_tmp):
    archive = zip_bytes({"cat/1.png": png_bytes(), "../../x.png": png_bytes()})
    client.force_login(cast.developer)

    response = client.post(
        _url(classes), {"upload": "zip", "zip-archive": SimpleUploadedFile("evil.zip", archive)}
    )

    assert response.status_code == 200
    assert "../../x.png" in response.content.decode()
    assert not Item.objects.exists()
    assert not Label.objects.exists()
    assert _stored_files(media_in_tmp) == []


def test_a_coco_file_naming_a_missing_image_is_refused(client, cast, boxes, media_in_tmp):
    coco = SimpleUploadedFile("coco.json", json.dumps(_coco(["a.png", "lost.png"])).encode())
    client.force_login(cast.developer)

    response = client.post(
        _url(boxes), {"upload": "coco", "coco-coco_file": coco, "coco-images": [_png("a.png")]}
    )

    html = response.content.decode()
    assert "lost.png: listed in the COCO file but not supplied" in html
    assert 'href="?tab=coco" aria-current="page"' in html
    assert not Item.objects.exists()
    assert _stored_files(media_in_tmp) == []


def test_a_name_already_in_the_dataset_is_refused(client, cast, classes):
    ItemFactory(dataset=classes, name="a.png")
    client.force_login(cast.developer)

    response = client.post(
        _url(classes), {"upload": "images", "images-files": [_png("a.png"), _png("b.png")]}
    )

    assert response.status_code == 200
    assert "a.png" in response.content.decode()
    assert list(classes.items.values_list("name", flat=True)) == ["a.png"]


def test_posting_no_file_asks_for_one(client, cast, classes):
    client.force_login(cast.developer)

    response = client.post(_url(classes), {"upload": "images"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_a_zip_posted_to_a_box_dataset_is_not_imported(client, cast, boxes):
    archive = zip_bytes({"cat/1.png": png_bytes()})
    client.force_login(cast.developer)

    response = client.post(
        _url(boxes), {"upload": "zip", "zip-archive": SimpleUploadedFile("pets.zip", archive)}
    )

    assert response.status_code == 200
    assert not Item.objects.exists()
