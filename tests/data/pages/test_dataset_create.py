import pytest

from data.models import Dataset
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def _url(cast) -> str:
    return f"/projects/{cast.project.id}/datasets/new/"


def test_a_developer_creates_a_dataset_with_an_ordered_coloured_label_map(client, cast):
    client.force_login(cast.developer)

    response = client.post(
        _url(cast),
        {
            "name": "parts",
            "description": "nuts and bolts",
            "annotation_kind": "box",
            "labels_id": ["", "", ""],
            "labels_name": ["nut", "bolt", ""],
            "labels_color": ["#aa0000", "#00BB00", "#1f77b4"],
        },
    )

    dataset = Dataset.objects.get(project=cast.project, name="parts")
    assert response.status_code == 302
    assert response.url == f"/projects/{cast.project.id}/datasets/{dataset.id}/upload/"
    assert dataset.annotation_kind == "box"
    assert dataset.description == "nuts and bolts"
    assert dataset.created_by == cast.developer
    labels = list(dataset.labels.values_list("name", "color", "position"))
    assert labels == [("nut", "#aa0000", 0), ("bolt", "#00bb00", 1)]


def test_the_form_shows_a_blank_label_row_to_fill_in(client, cast):
    client.force_login(cast.developer)

    response = client.get(_url(cast))

    assert response.status_code == 200
    assert b'name="labels_name"' in response.content
    assert b'type="color"' in response.content
    assert b"data/dataset_form.js" in response.content


def test_it_names_the_field_of_a_missing_name(client, cast):
    client.force_login(cast.developer)

    response = client.post(_url(cast), {"name": "", "annotation_kind": "class"})

    assert response.status_code == 200
    assert "Name: This field is required." in response.content.decode()
    assert not Dataset.objects.exists()


def test_it_refuses_a_label_listed_twice_and_keeps_the_rows(client, cast):
    client.force_login(cast.developer)

    response = client.post(
        _url(cast),
        {
            "name": "twice",
            "annotation_kind": "class",
            "labels_name": ["cat", "cat"],
            "labels_color": ["#111111", "#222222"],
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Label map: The label &#x27;cat&#x27; is listed twice." in html
    assert 'value="#222222"' in html
    assert not Dataset.objects.exists()


def test_it_refuses_a_colour_that_is_not_hex(client, cast):
    client.force_login(cast.developer)

    response = client.post(
        _url(cast),
        {"name": "c", "annotation_kind": "class", "labels_name": ["cat"], "labels_color": ["red"]},
    )

    assert response.status_code == 200
    assert "must look like #1f77b4" in response.content.decode()
    assert not Dataset.objects.exists()


def test_the_service_error_on_a_taken_name_shows_under_the_name(client, cast):
    DatasetFactory(project=cast.project, name="parts")
    client.force_login(cast.developer)

    response = client.post(_url(cast), {"name": "parts", "annotation_kind": "class"})

    assert response.status_code == 200
    assert "Name: A dataset named &#x27;parts&#x27; already exists" in response.content.decode()
    assert Dataset.objects.filter(project=cast.project).count() == 1


def test_an_annotator_cannot_create_a_dataset(client, cast):
    client.force_login(cast.annotator)

    response = client.post(_url(cast), {"name": "parts", "annotation_kind": "class"})

    assert response.status_code == 403
    assert not Dataset.objects.exists()
