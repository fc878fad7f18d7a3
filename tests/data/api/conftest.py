"""The rows the API tests share live in tests/fixtures/api_rows.py."""

from tests.fixtures.api_rows import (  # noqa: F401  (fixtures)
    box_dataset,
    dataset,
    item,
    other_dataset,
    other_item,
)
