import pytest
from django.core.exceptions import ValidationError

from data.models import Item
from data.services.datasets import items_assign_subset, items_split
from registry.models import Subset
from tests.factories import DatasetFactory, ItemFactory


@pytest.fixture
def hundred_items(class_dataset) -> list[Item]:
    # Rows only: the split never opens the files.
    items = [
        Item(dataset=class_dataset, name=f"img_{n:03d}.png", file="x.png", width=1, height=1)
        for n in range(100)
    ]
    return Item.objects.bulk_create(items)


def assignment(dataset) -> dict[str, str]:
    return dict(dataset.items.values_list("name", "subset"))


def test_it_splits_by_the_percentages_exactly(class_dataset, hundred_items):
    counts = items_split(dataset=class_dataset, train=70, validation=15, test=15, seed=1)
    assert counts == {"train": 70, "validation": 15, "test": 15, "none": 0}
    stored = list(class_dataset.items.values_list("subset", flat=True))
    assert {subset: stored.count(subset) for subset in Subset.values} == counts


def test_the_rest_goes_to_none(class_dataset, hundred_items):
    counts = items_split(dataset=class_dataset, train=50, validation=10, test=0, seed=1)
    assert counts == {"train": 50, "validation": 10, "test": 0, "none": 40}


def test_the_same_seed_gives_the_same_split(class_dataset, hundred_items):
    items_split(dataset=class_dataset, train=70, validation=15, test=15, seed=7)
    first = assignment(class_dataset)
    Item.objects.update(subset=Subset.NONE)
    items_split(dataset=class_dataset, train=70, validation=15, test=15, seed=7)
    assert assignment(class_dataset) == first


def test_another_seed_gives_another_split(class_dataset, hundred_items):
    items_split(dataset=class_dataset, train=70, validation=15, test=15, seed=7)
    first = assignment(class_dataset)
    items_split(dataset=class_dataset, train=70, validation=15, test=15, seed=8)
    assert assignment(class_dataset) != first


def test_the_split_does_not_depend_on_database_order(class_dataset, user):
    names = [f"img_{n:03d}.png" for n in range(50)]
    other = DatasetFactory(project=class_dataset.project, name="reversed")
    for dataset, order in ((class_dataset, names), (other, names[::-1])):
        Item.objects.bulk_create(
            Item(dataset=dataset, name=name, file="x.png", width=1, height=1) for name in order
        )
        items_split(dataset=dataset, train=60, validation=20, test=20, seed=3)
    assert assignment(class_dataset) == assignment(other)


def test_it_leaves_other_datasets_alone(class_dataset, hundred_items):
    stranger = ItemFactory(subset=Subset.NONE)
    items_split(dataset=class_dataset, train=100, validation=0, test=0)
    stranger.refresh_from_db()
    assert stranger.subset == Subset.NONE


@pytest.mark.parametrize(
    ("percentages", "field"),
    [((70, 20, 15), "train"), ((-1, 0, 0), "train"), ((0, 101, 0), "validation")],
)
def test_it_refuses_bad_percentages(class_dataset, hundred_items, percentages, field):
    train, validation, test = percentages
    with pytest.raises(ValidationError) as error:
        items_split(dataset=class_dataset, train=train, validation=validation, test=test)
    assert field in error.value.message_dict
    assert set(class_dataset.items.values_list("subset", flat=True)) == {Subset.NONE}


def test_splitting_an_empty_dataset_gives_zero_counts(class_dataset):
    counts = items_split(dataset=class_dataset, train=70, validation=15, test=15)
    assert counts == {"train": 0, "validation": 0, "test": 0, "none": 0}


def test_assign_subset_moves_only_the_datasets_own_items(class_dataset, hundred_items):
    stranger = ItemFactory()
    ids = [item.id for item in hundred_items[:3]] + [stranger.id]
    updated = items_assign_subset(dataset=class_dataset, item_ids=ids, subset="test")
    assert updated == 3
    assert class_dataset.items.filter(subset=Subset.TEST).count() == 3
    stranger.refresh_from_db()
    assert stranger.subset == Subset.NONE


def test_assign_subset_refuses_an_unknown_subset(class_dataset, hundred_items):
    with pytest.raises(ValidationError) as error:
        items_assign_subset(dataset=class_dataset, item_ids=[hundred_items[0].id], subset="dev")
    assert "subset" in error.value.message_dict
