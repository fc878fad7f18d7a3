import json

from data.models import Annotation
from data.services import exports
from data.services.datasets import dataset_create, items_import_coco, items_upload_images
from data.services.exports import dataset_export_coco
from tests.factories import AnnotationFactory, ItemFactory, ModelVersionFactory
from tests.fixtures.service_rows import upload
from tests.images import png_bytes

COCO = {
    "images": [
        {"id": 1, "file_name": "a.png", "width": 40, "height": 30},
        {"id": 2, "file_name": "b.png", "width": 20, "height": 20},
        {"id": 3, "file_name": "empty.png", "width": 16, "height": 16},
    ],
    "annotations": [
        {"id": 1, "image_id": 1, "category_id": 2, "bbox": [1.5, 2, 10, 12.25]},
        {"id": 2, "image_id": 1, "category_id": 1, "bbox": [20, 0, 20, 30]},
        {"id": 3, "image_id": 2, "category_id": 2, "bbox": [0, 0, 20, 20]},
    ],
    "categories": [{"id": 1, "name": "bolt"}, {"id": 2, "name": "nut"}],
}


def exported(dataset) -> dict:
    return json.loads("".join(dataset_export_coco(dataset)))


def import_coco(dataset, data: dict, files: list, user) -> None:
    coco_file = upload("coco.json", json.dumps(data).encode(), "application/json")
    items_import_coco(dataset=dataset, coco_file=coco_file, images=files, user=user)


def box_rows(dataset) -> list[tuple]:
    rows = Annotation.objects.filter(item__dataset=dataset).order_by(
        "item__name", "label__name", "x"
    )
    return list(rows.values_list("item__name", "label__name", "x", "y", "w", "h"))


def test_it_exports_categories_images_and_boxes(box_dataset, user):
    files = [upload("a.png", png_bytes(40, 30)), upload("b.png", png_bytes(20, 20))]
    files.append(upload("empty.png", png_bytes()))
    import_coco(box_dataset, COCO, files, user)
    data = exported(box_dataset)
    assert data["categories"] == [{"id": 1, "name": "bolt"}, {"id": 2, "name": "nut"}]
    items = {item.name: item.id for item in box_dataset.items.all()}
    assert [(image["id"], image["file_name"]) for image in data["images"]] == sorted(
        (pk, name) for name, pk in items.items()
    )
    first = data["annotations"][0]
    assert first["image_id"] == items["a.png"]
    assert first["category_id"] == 2
    assert first["bbox"] == [1.5, 2.0, 10.0, 12.25]
    assert all(isinstance(value, float) for value in first["bbox"])


def test_export_then_import_gives_the_same_boxes(box_dataset, user):
    files = [upload("a.png", png_bytes(40, 30)), upload("b.png", png_bytes(20, 20))]
    files.append(upload("empty.png", png_bytes()))
    import_coco(box_dataset, COCO, files, user)
    copy = dataset_create(
        project=box_dataset.project, name="copy", user=user, labels=[], annotation_kind="box"
    )
    stored = [upload(item.name, item.file.read()) for item in box_dataset.items.all()]
    import_coco(copy, exported(box_dataset), stored, user)
    assert box_rows(copy) == box_rows(box_dataset)
    assert list(copy.labels.values_list("name", flat=True)) == ["bolt", "nut"]
    assert copy.items.count() == 3


def test_it_leaves_predictions_out(box_dataset, user):
    (item,) = items_upload_images(
        dataset=box_dataset, files=[upload("a.png", png_bytes())], user=user
    )
    label = box_dataset.labels.get()
    AnnotationFactory(item=item, label=label, kind="box", x=0, y=0, w=1, h=1)
    model = ModelVersionFactory(project=box_dataset.project)
    AnnotationFactory(item=item, label=label, kind="box", x=0, y=0, w=2, h=2, model=model)
    assert len(exported(box_dataset)["annotations"]) == 1


def test_class_labels_go_out_without_a_bbox(class_dataset):
    item = ItemFactory(dataset=class_dataset)
    AnnotationFactory(item=item, label=class_dataset.labels.get(name="dog"))
    (annotation,) = exported(class_dataset)["annotations"]
    assert annotation == {"id": annotation["id"], "image_id": item.id, "category_id": 2}


def test_it_streams_in_chunks_with_bounded_queries(
    class_dataset, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 10)
    for _ in range(35):
        ItemFactory(dataset=class_dataset)
    # The label map, four chunks of ten images, one of annotations.
    with django_assert_max_num_queries(1 + 4 + 1):
        chunks = list(dataset_export_coco(class_dataset))
    assert len(chunks) > 3
    assert len(json.loads("".join(chunks))["images"]) == 35


def test_an_empty_dataset_exports_valid_json(class_dataset):
    data = exported(class_dataset)
    assert (data["images"], data["annotations"]) == ([], [])
    assert [row["name"] for row in data["categories"]] == ["cat", "dog"]
