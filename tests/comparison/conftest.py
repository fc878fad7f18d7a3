"""Model versions in the cast's project "Acme", in "Other", and a public one."""

import pytest

from tests.factories import ModelVersionFactory, PackageFactory


def points(name: str, count: int, start: int = 0, value=lambda step: step * 0.5) -> list[dict]:
    return [{"name": name, "step": step, "value": value(step)} for step in range(start, count)]


def error_of(response) -> dict:
    """The API's error body; fails when the shape is not ours."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


@pytest.fixture
def package(db):
    return PackageFactory(project=None, name="digits-mlp")


@pytest.fixture
def model(cast, package):
    return ModelVersionFactory(project=cast.project, package=package, name="first")


@pytest.fixture
def second_model(cast, package):
    return ModelVersionFactory(project=cast.project, package=package, name="second")


@pytest.fixture
def public_model(package):
    return ModelVersionFactory(project=None, package=package, name="pretrained")


@pytest.fixture
def other_model(cast, package):
    return ModelVersionFactory(project=cast.other_project, package=package, name="theirs")
