import pytest
from django.core.cache import cache

from jobs.models import WorkerHeartbeat
from tests.workers import wait_for
from worker.tasks import worker_heartbeat

pytestmark = pytest.mark.worker


def test_a_real_worker_answers_a_heartbeat_through_the_configured_broker(celery_worker_process):
    process, log = celery_worker_process

    worker_heartbeat.delay()

    heartbeat = wait_for(lambda: WorkerHeartbeat.objects.first(), log=log)
    assert heartbeat.hostname.startswith("test-")
    assert process.poll() is None


def test_the_health_page_asks_the_worker_and_reports_it(celery_worker_process, client):
    _, log = celery_worker_process
    cache.clear()  # another test may have asked within the last interval

    first = client.get("/health/").json()
    assert first["database"] == "ok"

    wait_for(lambda: WorkerHeartbeat.objects.exists(), log=log)
    second = client.get("/health/").json()
    assert second["worker"].startswith("test-")
    assert second["worker_seen_seconds_ago"] < 60
