"""Helpers and a second model version for the comparison tests; the rest: tests/conftest.py."""

import pytest

from tests.errors import error_of  # noqa: F401  (the comparison tests import it from here)
from tests.factories import ModelVersionFactory


def points(name: str, count: int, start: int = 0, value=lambda step: step * 0.5) -> list[dict]:
    return [{"name": name, "step": step, "value": value(step)} for step in range(start, count)]


@pytest.fixture
def package(public_package):
    return public_package


@pytest.fixture
def second_model(cast, package):
    return ModelVersionFactory(project=cast.project, package=package, name="second")
