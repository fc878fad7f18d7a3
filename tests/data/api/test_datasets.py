"""/api/v1/datasets: label maps, and the bulk actions import, split and assign_subset."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from data.models import Annotation, Dataset, Item
from registry.models import Subset
from tests.errors import error_of
from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory, LabelFactory
from tests.images import png_bytes, zip_bytes


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_lists_datasets_with_their_ordered_label_map(cast, api_as, dataset, other_dataset):
    ItemFactory(dataset=dataset)
    response = api_as(cast.viewer).get("/api/v1/datasets")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["name"] == "digits"
    assert row["item_count"] == 1
    assert [(label["name"], label["color"]) for label in row["labels"]] == [
        ("zero", "#111111"),
        ("one", "#222222"),
    ]


def test_it_filters_datasets_by_project_and_name(cast, api_as, dataset, box_dataset):
    client = api_as(cast.viewer)
    by_name = client.get("/api/v1/datasets?name=shapes").json()["results"]
    assert [row["id"] for row in by_name] == [box_dataset.id]
    elsewhere = client.get(f"/api/v1/datasets?project={cast.other_project.id}").json()
    assert elsewhere["count"] == 0


def test_a_developer_creates_a_dataset_with_labels(cast, api_as):
    body = {
        "project": cast.project.id,
        "name": "parts",
        "annotation_kind": "box",
        "labels": ["bolt", {"name": "nut", "color": "#00ff00"}],
    }
    response = api_as(cast.developer).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 201
    labels = response.json()["labels"]
    assert [label["name"] for label in labels] == ["bolt", "nut"]
    assert labels[1]["color"] == "#00ff00"
    assert Dataset.objects.get(name="parts").annotation_kind == "box"


def test_it_names_the_labels_field_of_a_bad_colour(cast, api_as):
    body = {"project": cast.project.id, "name": "parts", "labels": [{"name": "a", "color": "red"}]}
    response = api_as(cast.developer).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 400
    assert "labels" in error_of(response)["fields"]
    assert not Dataset.objects.filter(name="parts").exists()


def test_it_names_the_field_of_a_taken_dataset_name(cast, api_as, dataset):
    body = {"project": cast.project.id, "name": "digits"}
    response = api_as(cast.developer).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]


def test_an_annotator_cannot_create_a_dataset(cast, api_as):
    body = {"project": cast.project.id, "name": "parts"}
    response = api_as(cast.annotator).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 403
    assert not Dataset.objects.exists()


def test_creating_in_another_project_answers_404(cast, api_as):
    body = {"project": cast.other_project.id, "name": "parts"}
    response = api_as(cast.owner).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 404
    assert not Dataset.objects.exists()


def test_a_developer_renames_a_label_and_adds_one(cast, api_as, dataset):
    zero, one = dataset.labels.order_by("position")
    labels = [{"id": one.id, "name": "uno"}, {"id": zero.id, "name": "zero"}, "two"]
    url = f"/api/v1/datasets/{dataset.id}"
    response = api_as(cast.developer).patch(url, {"labels": labels}, format="json")
    assert response.status_code == 200
    assert [label["name"] for label in response.json()["labels"]] == ["uno", "zero", "two"]
    one.refresh_from_db()
    assert (one.name, one.position) == ("uno", 0)


def test_another_projects_dataset_answers_404(cast, api_as, other_dataset):
    response = api_as(cast.owner).get(f"/api/v1/datasets/{other_dataset.id}")
    assert response.status_code == 404


def test_a_developer_deletes_a_dataset(cast, api_as, dataset):
    response = api_as(cast.developer).delete(f"/api/v1/datasets/{dataset.id}")
    assert response.status_code == 204
    assert not Dataset.objects.filter(pk=dataset.pk).exists()


def test_a_viewer_cannot_delete_a_dataset(cast, api_as, dataset):
    response = api_as(cast.viewer).delete(f"/api/v1/datasets/{dataset.id}")
    assert response.status_code == 403
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_it_imports_a_zip_of_label_folders(cast, api_as, dataset):
    archive = zip_bytes(
        {"zero/a.png": png_bytes(), "one/b.png": png_bytes(), "two/c.png": png_bytes()}
    )
    response = api_as(cast.developer).post(
        f"/api/v1/datasets/{dataset.id}/import",
        {"archive": upload("digits.zip", archive, "application/zip")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert dataset.items.count() == 3
    labelled = dict(Annotation.objects.values_list("item__name", "label__name"))
    assert labelled == {"a.png": "zero", "b.png": "one", "c.png": "two"}


def test_it_refuses_a_zip_that_climbs_out_of_its_folder(cast, api_as, dataset):
    archive = zip_bytes({"../../x.png": png_bytes()})
    response = api_as(cast.developer).post(
        f"/api/v1/datasets/{dataset.id}/import",
        {"archive": upload("bad.zip", archive, "application/zip")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "archive" in error_of(response)["fields"]
    assert not Item.objects.exists()


def test_it_imports_a_coco_file_with_its_images(cast, api_as, box_dataset):
    coco = {
        "images": [{"id": 1, "file_name": "a.png", "width": 16, "height": 16}],
        "categories": [{"id": 7, "name": "circle"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 2, 5, 6]}],
    }
    response = api_as(cast.developer).post(
        f"/api/v1/datasets/{box_dataset.id}/import",
        {
            "coco": upload("coco.json", json.dumps(coco).encode(), "application/json"),
            "images": [upload("a.png", png_bytes())],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    box = Annotation.objects.get(item__dataset=box_dataset)
    assert (box.label.name, box.box) == ("circle", [1, 2, 5, 6])


def test_an_import_needs_an_archive_or_a_coco_file(cast, api_as, dataset):
    url = f"/api/v1/datasets/{dataset.id}/import"
    response = api_as(cast.developer).post(url, {}, format="multipart")
    assert response.status_code == 400
    assert "archive" in error_of(response)["fields"]


def test_a_coco_import_needs_its_images(cast, api_as, box_dataset):
    url = f"/api/v1/datasets/{box_dataset.id}/import"
    coco = upload("coco.json", b"{}", "application/json")
    response = api_as(cast.developer).post(url, {"coco": coco}, format="multipart")
    assert response.status_code == 400
    assert "images" in error_of(response)["fields"]


def test_an_annotator_cannot_import(cast, api_as, dataset):
    archive = zip_bytes({"zero/a.png": png_bytes()})
    response = api_as(cast.annotator).post(
        f"/api/v1/datasets/{dataset.id}/import",
        {"archive": upload("d.zip", archive, "application/zip")},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Item.objects.exists()


def test_it_splits_a_dataset_the_same_way_for_the_same_seed(cast, api_as, dataset):
    items = [ItemFactory(dataset=dataset) for _ in range(20)]
    url = f"/api/v1/datasets/{dataset.id}/split"
    body = {"train": 50, "validation": 25, "test": 25, "seed": 3}
    client = api_as(cast.developer)
    response = client.post(url, body, format="json")
    assert response.status_code == 200
    assert response.json() == {"train": 10, "validation": 5, "test": 5, "none": 0}
    first = dict(Item.objects.values_list("id", "subset"))
    client.post(url, body, format="json")
    assert dict(Item.objects.values_list("id", "subset")) == first
    assert len(first) == len(items)


def test_a_split_over_100_percent_names_the_field(cast, api_as, dataset):
    url = f"/api/v1/datasets/{dataset.id}/split"
    body = {"train": 80, "validation": 20, "test": 20}
    response = api_as(cast.developer).post(url, body, format="json")
    assert response.status_code == 400
    assert "test" in error_of(response)["fields"]


def test_it_assigns_a_subset_to_selected_items_of_the_dataset(cast, api_as, dataset):
    first, second, third = (ItemFactory(dataset=dataset) for _ in range(3))
    url = f"/api/v1/datasets/{dataset.id}/assign_subset"
    body = {"items": [first.id, third.id], "subset": "test"}
    response = api_as(cast.developer).post(url, body, format="json")
    assert response.json() == {"updated": 2}
    subsets = dict(Item.objects.values_list("id", "subset"))
    assert subsets == {first.id: Subset.TEST, second.id: Subset.NONE, third.id: Subset.TEST}


def test_assigning_items_of_another_dataset_names_the_field(cast, api_as, dataset, box_dataset):
    stranger = ItemFactory(dataset=box_dataset)
    url = f"/api/v1/datasets/{dataset.id}/assign_subset"
    body = {"items": [stranger.id], "subset": "test"}
    response = api_as(cast.developer).post(url, body, format="json")
    assert response.status_code == 400
    assert "items" in error_of(response)["fields"]
    stranger.refresh_from_db()
    assert stranger.subset == Subset.NONE


def test_the_dataset_list_does_not_grow_in_queries(cast, api_as, django_assert_max_num_queries):
    client = api_as(cast.viewer)
    DatasetFactory(project=cast.project)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/datasets")
    for _ in range(10):
        DatasetFactory(project=cast.project)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/datasets").json()["count"] == 11


def test_a_viewer_downloads_the_dataset_as_coco_json(cast, api_as):
    dataset = DatasetFactory(project=cast.project, annotation_kind="box")
    label = LabelFactory(dataset=dataset, name="bolt")
    item = ItemFactory(dataset=dataset, name="a.png", width=16, height=16)
    AnnotationFactory(item=item, label=label, kind="box", x=1, y=2, w=3, h=4)

    response = api_as(cast.viewer).get(f"/api/v1/datasets/{dataset.id}/export")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    coco = json.loads(b"".join(response.streaming_content))
    assert [c["name"] for c in coco["categories"]] == ["bolt"]
    assert [a["bbox"] for a in coco["annotations"]] == [[1, 2, 3, 4]]
    assert [i["file_name"] for i in coco["images"]] == ["a.png"]


def test_an_outsider_cannot_export_the_dataset(cast, api_as):
    dataset = DatasetFactory(project=cast.project)

    response = api_as(cast.outsider).get(f"/api/v1/datasets/{dataset.id}/export")

    assert response.status_code == 404
