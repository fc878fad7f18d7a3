import pytest

from data.models import Item
from tests.factories import DatasetFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(project=cast.project)
    ItemFactory.create_batch(4, dataset=dataset)
    return dataset


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/items/subset/"


def _subsets(dataset) -> list[str]:
    return list(
        Item.objects.filter(dataset=dataset).order_by("id").values_list("subset", flat=True)
    )


def test_an_annotator_moves_the_selected_items_to_a_subset(client, cast, dataset):
    first, second, *_ = dataset.items.order_by("id")
    client.force_login(cast.annotator)

    response = client.post(
        _url(dataset), {"item": [first.id, second.id], "subset": "test"}, follow=True
    )

    assert _subsets(dataset) == ["test", "test", "none", "none"]
    assert "2 items moved to the Test subset." in response.content.decode()


def test_it_goes_back_to_the_grid_page_it_came_from(client, cast, dataset):
    item = dataset.items.first()
    grid_page = f"/projects/{cast.project.id}/datasets/{dataset.id}/?subset=none&page=1"
    client.force_login(cast.annotator)

    response = client.post(_url(dataset), {"item": [item.id], "subset": "train", "next": grid_page})

    assert response.status_code == 302
    assert response.url == grid_page


def test_it_never_redirects_off_site(client, cast, dataset):
    client.force_login(cast.annotator)

    response = client.post(
        _url(dataset),
        {"item": [dataset.items.first().id], "subset": "train", "next": "https://evil.example/"},
    )

    assert response.url == f"/projects/{cast.project.id}/datasets/{dataset.id}/"


def test_items_of_another_dataset_are_left_alone(client, cast, dataset):
    other = ItemFactory(dataset=DatasetFactory(project=cast.other_project))
    client.force_login(cast.annotator)

    client.post(_url(dataset), {"item": [other.id], "subset": "train"})

    other.refresh_from_db()
    assert other.subset == "none"


def test_nothing_selected_says_so(client, cast, dataset):
    client.force_login(cast.annotator)

    response = client.post(_url(dataset), {"subset": "train"}, follow=True)

    assert "Select at least one item." in response.content.decode()
    assert _subsets(dataset) == ["none"] * 4


def test_an_unknown_subset_is_refused(client, cast, dataset):
    client.force_login(cast.annotator)

    response = client.post(
        _url(dataset), {"item": [dataset.items.first().id], "subset": "holdout"}, follow=True
    )

    assert "Select a valid choice" in response.content.decode()
    assert _subsets(dataset) == ["none"] * 4


def test_a_viewer_cannot_assign_subsets(client, cast, dataset):
    client.force_login(cast.viewer)

    response = client.post(_url(dataset), {"item": [dataset.items.first().id], "subset": "train"})

    assert response.status_code == 403
    assert _subsets(dataset) == ["none"] * 4
