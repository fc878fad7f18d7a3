"""/api/v1/annotations: class labels and boxes. Annotators and above write."""

import pytest

from data.models import Annotation
from tests.errors import error_of
from tests.factories import AnnotationFactory, ItemFactory, ModelVersionFactory


@pytest.fixture
def box_item(box_dataset):
    return ItemFactory(dataset=box_dataset, name="shape.png", width=16, height=16)


def post_box(client, item, box, **extra):
    label = item.dataset.labels.get()
    body = {"item": item.id, "label": label.id, "box": box, **extra}
    return client.post("/api/v1/annotations", body, format="json")


def test_an_annotator_draws_a_box(cast, api_as, box_item):
    response = post_box(api_as(cast.annotator), box_item, [1, 2, 10, 12])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["kind"], body["box"]) == ("circle", "box", [1, 2, 10, 12])
    saved = Annotation.objects.get()
    assert (saved.x, saved.y, saved.w, saved.h) == (1, 2, 10, 12)


def test_it_rejects_a_box_outside_the_image(cast, api_as, box_item):
    response = post_box(api_as(cast.annotator), box_item, [10, 10, 20, 20])
    assert response.status_code == 400
    assert "box" in error_of(response)["fields"]
    assert not Annotation.objects.exists()


def test_it_rejects_a_box_of_three_numbers(cast, api_as, box_item):
    response = post_box(api_as(cast.annotator), box_item, [1, 2, 3])
    assert response.status_code == 400
    assert "box" in error_of(response)["fields"]


def test_it_rejects_a_label_of_another_dataset(cast, api_as, item, box_item):
    circle = box_item.dataset.labels.get()
    body = {"item": item.id, "label": circle.id}
    response = api_as(cast.annotator).post("/api/v1/annotations", body, format="json")
    assert response.status_code == 400
    assert "label" in error_of(response)["fields"]


def test_an_annotator_labels_an_item_with_a_class(cast, api_as, item):
    one = item.dataset.labels.get(name="one")
    body = {"item": item.id, "label": one.id}
    response = api_as(cast.annotator).post("/api/v1/annotations", body, format="json")
    assert response.status_code == 201
    assert response.json()["box"] is None
    assert Annotation.objects.get().label == one


def test_it_stores_a_prediction_with_its_model_and_confidence(cast, api_as, box_item, model):
    response = post_box(
        api_as(cast.developer), box_item, [0, 0, 4, 4], model=model.id, confidence=0.8
    )
    assert response.status_code == 201
    saved = Annotation.objects.get()
    assert (saved.model, saved.confidence) == (model, 0.8)


def test_a_confidence_above_one_names_the_field(cast, api_as, box_item, model):
    response = post_box(
        api_as(cast.developer), box_item, [0, 0, 4, 4], model=model.id, confidence=2
    )
    assert response.status_code == 400
    assert "confidence" in error_of(response)["fields"]


def test_a_viewer_cannot_annotate(cast, api_as, box_item):
    response = post_box(api_as(cast.viewer), box_item, [1, 1, 2, 2])
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_annotating_another_projects_item_answers_404(cast, api_as, other_item):
    label = other_item.dataset.labels.get()
    body = {"item": other_item.id, "label": label.id}
    response = api_as(cast.owner).post("/api/v1/annotations", body, format="json")
    assert response.status_code == 404
    assert not Annotation.objects.exists()


def test_an_annotator_moves_a_box(cast, api_as, box_item):
    annotation = AnnotationFactory(item=box_item, kind="box", x=0, y=0, w=2, h=2)
    url = f"/api/v1/annotations/{annotation.id}"
    response = api_as(cast.annotator).patch(url, {"box": [3, 3, 5, 5]}, format="json")
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert annotation.box == [3, 3, 5, 5]


def test_an_annotator_deletes_an_annotation(cast, api_as, item):
    annotation = AnnotationFactory(item=item, label=item.dataset.labels.first())
    response = api_as(cast.annotator).delete(f"/api/v1/annotations/{annotation.id}")
    assert response.status_code == 204
    assert not Annotation.objects.exists()


def test_another_projects_annotation_answers_404(cast, api_as, other_item):
    annotation = AnnotationFactory(item=other_item, label=other_item.dataset.labels.get())
    response = api_as(cast.owner).delete(f"/api/v1/annotations/{annotation.id}")
    assert response.status_code == 404
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_it_filters_annotations_by_item_and_dataset(cast, api_as, item, box_item):
    mine = AnnotationFactory(item=item, label=item.dataset.labels.first())
    AnnotationFactory(item=box_item, kind="box", x=0, y=0, w=1, h=1)
    client = api_as(cast.viewer)
    by_item = client.get(f"/api/v1/annotations?item={item.id}").json()["results"]
    by_dataset = client.get(f"/api/v1/annotations?dataset={item.dataset_id}").json()["results"]
    assert [row["id"] for row in by_item] == [row["id"] for row in by_dataset] == [mine.id]


def test_it_filters_annotations_by_label_name_and_id(cast, api_as, item):
    zero, one = item.dataset.labels.order_by("position")
    AnnotationFactory(item=item, label=zero)
    wanted = AnnotationFactory(item=item, label=one, model=ModelVersionFactory(), confidence=0.3)
    client = api_as(cast.viewer)
    by_name = client.get("/api/v1/annotations?label=one").json()["results"]
    by_id = client.get(f"/api/v1/annotations?label_id={one.id}").json()["results"]
    assert [row["id"] for row in by_name] == [row["id"] for row in by_id] == [wanted.id]


def test_the_annotation_list_does_not_grow_in_queries(
    cast, api_as, dataset, django_assert_num_queries
):
    def add(count: int) -> None:
        for _ in range(count):
            AnnotationFactory(item=ItemFactory(dataset=dataset), label=dataset.labels.first())

    client = api_as(cast.viewer)
    add(3)
    with django_assert_num_queries(2) as small:
        client.get("/api/v1/annotations")
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/annotations").json()["count"] == 30
