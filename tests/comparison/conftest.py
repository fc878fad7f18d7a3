"""The comparison tests' fixtures live in tests/fixtures/versions.py."""

from tests.fixtures.versions import package, second_model  # noqa: F401  (fixtures)
