"""/api/v1/items: uploads, the paginated grid with filters, the image file, subsets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data.models import Item
from registry.models import Subset
from tests.errors import error_of
from tests.factories import AnnotationFactory, ItemFactory, LabelFactory
from tests.images import jpeg_bytes, png_bytes


def image(name: str, data: bytes | None = None, content_type: str = "image/png"):
    return SimpleUploadedFile(name, data or png_bytes(), content_type=content_type)


def test_a_developer_uploads_several_images_at_once(cast, api_as, dataset):
    files = [image("a.png", png_bytes(20, 10)), image("b.jpg", jpeg_bytes(), "image/jpeg")]
    response = api_as(cast.developer).post(
        "/api/v1/items",
        {"dataset": dataset.id, "files": files, "subset": "train"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    rows = sorted(response.json(), key=lambda row: row["name"])
    assert [(row["name"], row["width"], row["height"]) for row in rows] == [
        ("a.png", 20, 10),
        ("b.jpg", 16, 16),
    ]
    assert set(Item.objects.values_list("subset", flat=True)) == {Subset.TRAIN}


def test_it_refuses_a_file_that_is_not_an_image(cast, api_as, dataset):
    files = [image("notes.png", b"hello, not a picture")]
    response = api_as(cast.developer).post(
        "/api/v1/items", {"dataset": dataset.id, "files": files}, format="multipart"
    )
    assert response.status_code == 400
    assert "files" in error_of(response)["fields"]
    assert not Item.objects.exists()


def test_an_upload_needs_files(cast, api_as, dataset):
    response = api_as(cast.developer).post(
        "/api/v1/items", {"dataset": dataset.id}, format="multipart"
    )
    assert response.status_code == 400
    assert "files" in error_of(response)["fields"]


def test_an_annotator_cannot_upload(cast, api_as, dataset):
    response = api_as(cast.annotator).post(
        "/api/v1/items", {"dataset": dataset.id, "files": [image("a.png")]}, format="multipart"
    )
    assert response.status_code == 403
    assert not Item.objects.exists()


def test_uploading_into_another_projects_dataset_answers_404(cast, api_as, other_dataset):
    response = api_as(cast.owner).post(
        "/api/v1/items",
        {"dataset": other_dataset.id, "files": [image("a.png")]},
        format="multipart",
    )
    assert response.status_code == 404
    assert "dataset" in error_of(response)["fields"]
    assert not Item.objects.exists()


def test_it_lists_items_with_their_ground_truth(cast, api_as, item, model):
    zero = item.dataset.labels.get(name="zero")
    AnnotationFactory(item=item, label=zero)
    AnnotationFactory(item=item, label=zero, model=model, confidence=0.5)
    response = api_as(cast.viewer).get(f"/api/v1/items?dataset={item.dataset_id}")
    [row] = response.json()["results"]
    assert row["name"] == "a.png"
    assert row["file_url"].endswith(f"/api/v1/items/{item.id}/file")
    assert [(a["name"], a["model"]) for a in row["annotations"]] == [("zero", None)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("subset=test", ["b.png"]),
        ("label=one", ["c.png"]),
        ("name=a.png", ["a.png"]),
        ("subset=none", ["a.png", "c.png"]),
    ],
)
def test_it_filters_items(cast, api_as, dataset, query, expected):
    ItemFactory(dataset=dataset, name="a.png")
    ItemFactory(dataset=dataset, name="b.png", subset=Subset.TEST)
    labelled = ItemFactory(dataset=dataset, name="c.png")
    AnnotationFactory(item=labelled, label=dataset.labels.get(name="one"))
    response = api_as(cast.viewer).get(f"/api/v1/items?dataset={dataset.id}&{query}")
    assert [row["name"] for row in response.json()["results"]] == expected


def test_the_label_id_filter_takes_a_label_id(cast, api_as, dataset):
    labelled = ItemFactory(dataset=dataset)
    one = dataset.labels.get(name="one")
    AnnotationFactory(item=labelled, label=one)
    ItemFactory(dataset=dataset)
    response = api_as(cast.viewer).get(f"/api/v1/items?label_id={one.id}")
    assert [row["id"] for row in response.json()["results"]] == [labelled.id]


def test_an_unknown_subset_filter_names_the_parameter(cast, api_as, dataset):
    response = api_as(cast.viewer).get("/api/v1/items?subset=holdout")
    assert response.status_code == 400
    assert "subset" in error_of(response)["fields"]


def test_the_label_filter_takes_names_that_look_like_numbers(cast, api_as, dataset):
    seven = LabelFactory(dataset=dataset, name="7")
    labelled = ItemFactory(dataset=dataset)
    AnnotationFactory(item=labelled, label=seven)
    response = api_as(cast.viewer).get("/api/v1/items?label=7")
    assert [row["id"] for row in response.json()["results"]] == [labelled.id]


def test_it_paginates_items_up_to_500_a_page(cast, api_as, dataset):
    for _ in range(3):
        ItemFactory(dataset=dataset)
    client = api_as(cast.viewer)
    body = client.get("/api/v1/items?page_size=2&page=2").json()
    assert (body["count"], len(body["results"])) == (3, 1)
    assert body["previous"] is not None
    assert len(client.get("/api/v1/items?page_size=9999").json()["results"]) == 3


def test_a_page_past_the_end_answers_404_in_the_error_body(cast, api_as, item):
    response = api_as(cast.viewer).get("/api/v1/items?page=5")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_it_streams_the_image_to_members(cast, api_as, item):
    response = api_as(cast.viewer).get(f"/api/v1/items/{item.id}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_the_image_of_another_project_answers_404(cast, api_as, other_item):
    response = api_as(cast.owner).get(f"/api/v1/items/{other_item.id}/file")
    assert response.status_code == 404


def test_anonymous_callers_cannot_fetch_an_image(api_client, item):
    assert api_client.get(f"/api/v1/items/{item.id}/file").status_code == 401


def test_a_developer_deletes_an_item(cast, api_as, item):
    response = api_as(cast.developer).delete(f"/api/v1/items/{item.id}")
    assert response.status_code == 204
    assert not Item.objects.filter(pk=item.pk).exists()


def test_an_annotator_cannot_delete_an_item(cast, api_as, item):
    assert api_as(cast.annotator).delete(f"/api/v1/items/{item.id}").status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()


def test_it_assigns_a_subset_across_datasets(cast, api_as, dataset, box_dataset):
    first, second = ItemFactory(dataset=dataset), ItemFactory(dataset=box_dataset)
    body = {"items": [first.id, second.id], "subset": "validation"}
    response = api_as(cast.developer).post("/api/v1/items/assign_subset", body, format="json")
    assert response.json() == {"updated": 2}
    assert set(Item.objects.values_list("subset", flat=True)) == {Subset.VALIDATION}


def test_assigning_a_subset_to_invisible_items_changes_nothing(cast, api_as, item, other_item):
    body = {"items": [item.id, other_item.id], "subset": "test"}
    response = api_as(cast.owner).post("/api/v1/items/assign_subset", body, format="json")
    assert response.status_code == 404
    assert "items" in error_of(response)["fields"]
    assert set(Item.objects.values_list("subset", flat=True)) == {Subset.NONE}


def test_assigning_an_unknown_subset_names_the_field(cast, api_as, item):
    body = {"items": [item.id], "subset": "holdout"}
    response = api_as(cast.developer).post("/api/v1/items/assign_subset", body, format="json")
    assert response.status_code == 400
    assert "subset" in error_of(response)["fields"]


def test_a_viewer_cannot_assign_subsets(cast, api_as, item):
    body = {"items": [item.id], "subset": "test"}
    response = api_as(cast.viewer).post("/api/v1/items/assign_subset", body, format="json")
    assert response.status_code == 403


def test_the_item_grid_does_not_grow_in_queries(cast, api_as, dataset, django_assert_num_queries):
    def add_items(count: int) -> None:
        for _ in range(count):
            labelled = ItemFactory(dataset=dataset)
            AnnotationFactory(item=labelled, label=dataset.labels.first())

    client = api_as(cast.viewer)
    add_items(3)
    with django_assert_num_queries(3) as small:
        assert len(client.get("/api/v1/items").json()["results"]) == 3
    add_items(27)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/items").json()["results"]) == 30


def test_a_page_in_the_second_half_holds_the_right_items(cast, api_as, dataset):
    items = [ItemFactory(dataset=dataset) for _ in range(5)]
    body = api_as(cast.viewer).get(f"/api/v1/items?dataset={dataset.id}&page_size=2&page=3").json()
    assert body["count"] == 5
    assert [row["id"] for row in body["results"]] == [items[4].id]


def test_after_walks_the_items_in_id_order_following_next(cast, api_as, dataset):
    items = [ItemFactory(dataset=dataset) for _ in range(5)]
    client = api_as(cast.viewer)
    body = client.get(f"/api/v1/items?dataset={dataset.id}&page_size=2&after={items[0].id}").json()
    assert [row["id"] for row in body["results"]] == [items[1].id, items[2].id]
    assert (body["count"], body["previous"]) == (5, None)
    assert f"after={items[2].id}" in body["next"]
    last = client.get(body["next"]).json()
    assert [row["id"] for row in last["results"]] == [items[3].id, items[4].id]
    assert client.get(last["next"]).json()["results"] == []


def test_a_malformed_after_names_the_parameter(cast, api_as, dataset):
    response = api_as(cast.viewer).get("/api/v1/items?after=abc")
    assert response.status_code == 400
    assert "after" in error_of(response)["fields"]


@pytest.mark.parametrize("query", ["subset=test", "label_id={one}", "label_id={one}&subset=none"])
def test_the_count_matches_the_rows_whatever_the_filters(cast, api_as, dataset, query):
    one = dataset.labels.get(name="one")
    for subset in ("test", "none", "none"):
        AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=one)
    ItemFactory(dataset=dataset, subset="test")
    url = f"/api/v1/items?dataset={dataset.id}&{query.format(one=one.id)}"
    body = api_as(cast.viewer).get(url).json()
    assert body["count"] == len(body["results"])


def test_an_outsider_counts_no_items_of_a_dataset_they_cannot_see(cast, api_as, item):
    body = api_as(cast.outsider).get(f"/api/v1/items?dataset={item.dataset_id}").json()
    assert (body["count"], body["results"]) == (0, [])
