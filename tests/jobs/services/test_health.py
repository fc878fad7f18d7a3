import pytest
from django.core.cache import cache

from jobs.services import heartbeat_record, heartbeat_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_only_one_heartbeat_request_is_queued_per_interval(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = heartbeat_request()
        second = heartbeat_request()

    assert (first, second) == (True, False)
    assert len(queued) == 1


def test_a_worker_heartbeat_is_one_row_per_host_with_the_latest_time():
    first = heartbeat_record(hostname="w1@box")
    again = heartbeat_record(hostname="w1@box")

    assert first.pk == again.pk
    assert again.seen_at >= first.seen_at
