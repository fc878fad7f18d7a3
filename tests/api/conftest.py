"""Rows the API tests share, placed in the cast's project "Acme" or in "Other"."""

import pytest

from registry.models import AnnotationKind
from tests.errors import error_of  # noqa: F401  (the API tests import it from here)
from tests.factories import DatasetFactory, ItemFactory, LabelFactory


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(project=cast.project, name="digits")
    LabelFactory(dataset=dataset, name="zero", color="#111111", position=0)
    LabelFactory(dataset=dataset, name="one", color="#222222", position=1)
    return dataset


@pytest.fixture
def box_dataset(cast):
    dataset = DatasetFactory(
        project=cast.project, name="shapes", annotation_kind=AnnotationKind.BOX
    )
    LabelFactory(dataset=dataset, name="circle", position=0)
    return dataset


@pytest.fixture
def other_dataset(cast):
    dataset = DatasetFactory(project=cast.other_project, name="secret")
    LabelFactory(dataset=dataset, name="hidden")
    return dataset


@pytest.fixture
def item(dataset):
    return ItemFactory(dataset=dataset, name="a.png")


@pytest.fixture
def other_item(other_dataset):
    return ItemFactory(dataset=other_dataset, name="hidden.png")
