import json

import pytest
from django.core.exceptions import ValidationError

from data.models import Annotation, AnnotationKind
from data.services.datasets import items_import_coco
from tests.fixtures.service_rows import counts, stored_files, upload
from tests.images import png_bytes, zip_bytes


def coco(**overrides) -> dict:
    data = {
        "images": [
            {"id": 10, "file_name": "a.png", "width": 40, "height": 30},
            {"id": 11, "file_name": "images/b.png", "width": 20, "height": 20},
        ],
        "annotations": [
            {"id": 1, "image_id": 10, "category_id": 7, "bbox": [1, 2, 10, 12]},
            {"id": 2, "image_id": 10, "category_id": 3, "bbox": [20.5, 0, 19.5, 30]},
            {"id": 3, "image_id": 11, "category_id": 7, "bbox": [0, 0, 20.4, 20]},
        ],
        "categories": [{"id": 7, "name": "nut"}, {"id": 3, "name": "bolt"}],
    }
    return data | overrides


def coco_upload(data: dict):
    return upload("annotations.json", json.dumps(data).encode(), "application/json")


def images() -> list:
    return [upload("a.png", png_bytes(40, 30)), upload("b.png", png_bytes(20, 20))]


def boxes() -> list[tuple]:
    rows = Annotation.objects.order_by("id").values_list(
        "item__name", "label__name", "x", "y", "w", "h"
    )
    return list(rows)


def test_it_creates_items_and_boxes_and_adds_categories_in_coco_order(box_dataset, user):
    result = items_import_coco(
        dataset=box_dataset, coco_file=coco_upload(coco()), images=images(), user=user
    )
    assert result == {"items": 2, "annotations": 3, "labels": 1, "labels_added": ["nut"]}
    assert list(box_dataset.labels.values_list("name", flat=True)) == ["bolt", "nut"]
    assert boxes() == [
        ("a.png", "nut", 1.0, 2.0, 10.0, 12.0),
        ("a.png", "bolt", 20.5, 0.0, 19.5, 30.0),
        ("b.png", "nut", 0.0, 0.0, 20.0, 20.0),  # 0.4 px over the edge: tolerated, clamped
    ]
    assert set(Annotation.objects.values_list("kind", flat=True)) == {AnnotationKind.BOX}


def test_it_takes_the_images_as_one_zip_that_may_hold_the_json_too(box_dataset, user, media_in_tmp):
    archive = zip_bytes(
        {"a.png": png_bytes(40, 30), "images/b.png": png_bytes(20, 20), "coco.json": b"{}"}
    )
    result = items_import_coco(
        dataset=box_dataset,
        coco_file=coco_upload(coco()),
        images=[upload("images.zip", archive, "application/zip")],
        user=user,
    )
    assert (result["items"], result["annotations"]) == (2, 3)
    assert len(stored_files(media_in_tmp)) == 2


def assert_refused(dataset, user, media, data: dict, files: list, field: str, problem: str) -> None:
    before = counts()
    labels_before = dataset.labels.count()
    with pytest.raises(ValidationError) as error:
        items_import_coco(dataset=dataset, coco_file=coco_upload(data), images=files, user=user)
    assert problem in " ".join(error.value.message_dict[field])
    assert counts() == before
    assert dataset.labels.count() == labels_before
    assert stored_files(media) == []


def test_it_refuses_boxes_on_an_image_the_coco_file_does_not_list(box_dataset, user, media_in_tmp):
    data = coco()
    data["annotations"].append({"id": 9, "image_id": 99, "category_id": 7, "bbox": [0, 0, 1, 1]})
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        data,
        images(),
        "coco_file",
        "annotations[3] (id 9): image_id 99 is not among the images",
    )


def test_it_refuses_a_listed_image_that_is_not_supplied(box_dataset, user, media_in_tmp):
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        coco(),
        images()[:1],
        "images",
        "b.png: listed in the COCO file but not supplied",
    )


def test_it_refuses_a_supplied_image_the_coco_file_does_not_list(box_dataset, user, media_in_tmp):
    files = [*images(), upload("extra.png", png_bytes())]
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        coco(),
        files,
        "images",
        "extra.png: not listed in the COCO file's images",
    )


def test_it_refuses_a_box_outside_the_image(box_dataset, user, media_in_tmp):
    data = coco()
    data["annotations"][2]["bbox"] = [5, 5, 16, 10]
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        data,
        images(),
        "coco_file",
        "annotations[2] (id 3): box [5, 5, 16, 10] is outside the 20×20 image (b.png)",
    )


@pytest.mark.parametrize(
    ("bbox", "problem"),
    [
        ([1, 2, 3], "a box is [x, y, width, height]"),
        ([1, 2, 0, 3], "needs a positive width and height"),
        (["1", 2, 3, 4], "must hold four numbers"),
        (None, "a box is [x, y, width, height]"),
    ],
)
def test_it_refuses_a_malformed_bbox(box_dataset, user, media_in_tmp, bbox, problem):
    data = coco()
    data["annotations"][0]["bbox"] = bbox
    assert_refused(box_dataset, user, media_in_tmp, data, images(), "coco_file", problem)


def test_it_refuses_an_unknown_category(box_dataset, user, media_in_tmp):
    data = coco()
    data["annotations"][0]["category_id"] = 5
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        data,
        images(),
        "coco_file",
        "annotations[0] (id 1): category_id 5 is not among the categories",
    )


def test_it_refuses_image_sizes_that_do_not_match_the_files(box_dataset, user, media_in_tmp):
    files = [upload("a.png", png_bytes(40, 30)), upload("b.png", png_bytes(21, 20))]
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        coco(),
        files,
        "images",
        "b.png: the file is 21×20 but the COCO file says 20×20",
    )


def test_it_refuses_a_corrupt_image_and_stores_nothing(box_dataset, user, media_in_tmp):
    files = [upload("a.png", png_bytes(40, 30)), upload("b.png", png_bytes(20, 20)[:-20])]
    assert_refused(
        box_dataset, user, media_in_tmp, coco(), files, "images", "b.png: is a damaged image"
    )


def test_it_refuses_a_file_that_is_not_json(box_dataset, user):
    with pytest.raises(ValidationError) as error:
        items_import_coco(
            dataset=box_dataset, coco_file=upload("a.json", b"{oops"), images=images(), user=user
        )
    assert "The COCO file is not valid JSON" in error.value.message_dict["coco_file"][0]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"categories": None}, "needs a list of categories"),
        ({"categories": [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]}, "id 1 appears more"),
        ({"images": [{"id": 1, "file_name": "a.png", "width": 0, "height": 3}]}, "positive"),
        ({"images": [{"id": "1", "file_name": "a.png", "width": 3, "height": 3}]}, "id must be"),
    ],
)
def test_it_refuses_a_malformed_coco_file(box_dataset, user, overrides, problem):
    with pytest.raises(ValidationError) as error:
        items_import_coco(
            dataset=box_dataset,
            coco_file=coco_upload(coco(**overrides)),
            images=images(),
            user=user,
        )
    assert problem in " ".join(error.value.message_dict["coco_file"])


def test_it_refuses_boxes_in_a_class_dataset(class_dataset, user, media_in_tmp):
    assert_refused(
        class_dataset,
        user,
        media_in_tmp,
        coco(),
        images(),
        "coco_file",
        "This is a class dataset; COCO boxes go into a box dataset.",
    )
