"""What the service tests share lives in tests/fixtures/service_rows.py."""

from tests.fixtures.service_rows import box_dataset, class_dataset, user  # noqa: F401  (fixtures)
