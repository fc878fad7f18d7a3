"""Rows the API tests share, placed in the cast's project "Acme" or in "Other"."""

import pytest

from registry.models import AnnotationKind
from tests.factories import (
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)


def error_of(response) -> dict:
    """The error body every 4xx answers with; fails when the shape is not ours."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


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


@pytest.fixture
def public_package(db):
    return PackageFactory(project=None, name="digits-mlp")


@pytest.fixture
def model(cast, public_package):
    return ModelVersionFactory(project=cast.project, package=public_package, name="first")


@pytest.fixture
def public_model(public_package):
    return ModelVersionFactory(project=None, package=public_package, name="pretrained")


@pytest.fixture
def other_model(cast, public_package):
    return ModelVersionFactory(project=cast.other_project, package=public_package, name="theirs")
