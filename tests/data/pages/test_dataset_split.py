import pytest

from data.models import Item
from tests.factories import DatasetFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(project=cast.project)
    ItemFactory.create_batch(20, dataset=dataset)
    return dataset


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/split/"


def _subsets(dataset) -> dict[str, int]:
    return {
        s: Item.objects.filter(dataset=dataset, subset=s).count()
        for s in ("train", "validation", "test", "none")
    }


def test_the_form_offers_70_15_15_and_seed_0_with_the_current_counts(client, cast, dataset):
    client.force_login(cast.developer)

    response = client.get(_url(dataset))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="train" value="70"' in html
    assert 'name="validation" value="15"' in html
    assert 'name="seed" value="0"' in html
    assert '<th scope="row">none</th><td class="num">20</td>' in html


def test_a_developer_splits_the_items_and_reads_the_counts(client, cast, dataset):
    client.force_login(cast.developer)

    response = client.post(
        _url(dataset), {"train": 50, "validation": 25, "test": 25, "seed": 3}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"/projects/{cast.project.id}/datasets/{dataset.id}/"
    assert _subsets(dataset) == {"train": 10, "validation": 5, "test": 5, "none": 0}
    assert "Split done: train 10, validation 5, test 5, none 0." in response.content.decode()


def test_the_same_seed_gives_the_same_split(client, cast, dataset):
    client.force_login(cast.developer)
    data = {"train": 60, "validation": 20, "test": 20, "seed": 7}
    client.post(_url(dataset), data)
    first = list(Item.objects.filter(dataset=dataset).values_list("id", "subset"))
    client.post(_url(dataset), dict(data, seed=8))

    client.post(_url(dataset), data)

    assert list(Item.objects.filter(dataset=dataset).values_list("id", "subset")) == first


def test_percentages_over_100_are_refused_and_nothing_moves(client, cast, dataset):
    client.force_login(cast.developer)

    response = client.post(_url(dataset), {"train": 80, "validation": 20, "test": 20, "seed": 0})

    assert response.status_code == 200
    assert "add up to more than 100" in response.content.decode()
    assert _subsets(dataset)["none"] == 20


def test_an_annotator_cannot_split(client, cast, dataset):
    client.force_login(cast.annotator)

    response = client.post(_url(dataset), {"train": 70, "validation": 15, "test": 15, "seed": 0})

    assert response.status_code == 403
    assert _subsets(dataset)["none"] == 20
