import pytest

from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory, LabelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(project=cast.project, name="animals", description="old")
    LabelFactory(dataset=dataset, name="cat", color="#111111", position=0)
    LabelFactory(dataset=dataset, name="dog", color="#222222", position=1)
    return dataset


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/edit/"


def _rows(dataset) -> dict[str, list]:
    labels = list(dataset.labels.all())
    return {
        "labels_id": [str(label.id) for label in labels],
        "labels_name": [label.name for label in labels],
        "labels_color": [label.color for label in labels],
    }


def test_the_form_shows_the_label_map_in_order(client, cast, dataset):
    client.force_login(cast.developer)

    response = client.get(_url(dataset))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('value="cat"') < html.index('value="dog"')
    assert 'value="#222222"' in html
    assert 'name="annotation_kind"' not in html


def test_a_developer_renames_reorders_recolours_and_adds_labels(client, cast, dataset):
    cat, dog = dataset.labels.all()
    client.force_login(cast.developer)

    response = client.post(
        _url(dataset),
        {
            "name": "pets",
            "description": "new",
            "labels_id": [str(dog.id), str(cat.id), ""],
            "labels_name": ["hound", "cat", "bird"],
            "labels_color": ["#222222", "#ff0000", "#00ff00"],
        },
    )

    dataset.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/projects/{cast.project.id}/datasets/{dataset.id}/"
    assert (dataset.name, dataset.description) == ("pets", "new")
    assert list(dataset.labels.values_list("id", "name", "color")) == [
        (dog.id, "hound", "#222222"),
        (cat.id, "cat", "#ff0000"),
        (dataset.labels.get(name="bird").id, "bird", "#00ff00"),
    ]


def test_removing_a_label_in_use_is_refused_with_the_reason(client, cast, dataset):
    cat, dog = dataset.labels.all()
    AnnotationFactory(item=ItemFactory(dataset=dataset), label=dog)
    client.force_login(cast.developer)

    response = client.post(
        _url(dataset),
        {
            "name": "animals",
            "labels_id": [str(cat.id)],
            "labels_name": ["cat"],
            "labels_color": ["#111111"],
        },
    )

    assert response.status_code == 200
    assert (
        "Label map: The label &#x27;dog&#x27; is used by 1 annotation(s)"
        in response.content.decode()
    )
    assert dataset.labels.count() == 2


def test_a_viewer_cannot_edit(client, cast, dataset):
    client.force_login(cast.viewer)

    response = client.post(_url(dataset), {"name": "mine"})

    dataset.refresh_from_db()
    assert response.status_code == 403
    assert dataset.name == "animals"


def test_the_blank_row_offers_a_colour_the_map_does_not_use(client, cast, dataset):
    LabelFactory(dataset=dataset, name="bird", color="#1f77b4", position=2)
    client.force_login(cast.developer)

    html = client.get(_url(dataset)).content.decode()

    blank_row = html[html.index('name="labels_name" value=""') :]
    assert 'name="labels_color" value="#ff7f0e"' in blank_row
    assert '<script id="label-palette" type="application/json">' in html
