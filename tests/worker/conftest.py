# The worker fixtures live in tests/workers.py (a plugin of the whole suite); these names
# stay importable from here for the tests that import them.
from tests.workers import celery_worker_process, start_worker, stop_worker, wait_for  # noqa: F401
