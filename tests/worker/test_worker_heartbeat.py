import pytest
from django.core.cache import cache

from jobs.models import WorkerHeartbeat
from jobs.selectors import queue_listeners
from tests.workers import wait_for
from worker.tasks import worker_heartbeat

pytestmark = pytest.mark.worker


def test_a_real_worker_answers_a_heartbeat_through_the_configured_broker(celery_worker_process):
    process, log = celery_worker_process
    wait_for(lambda: WorkerHeartbeat.objects.exists(), log=log)  # its presence, at start
    WorkerHeartbeat.objects.all().delete()

    worker_heartbeat.delay()

    # Sooner than the next presence beat (every 10 s): the task answered.
    heartbeat = wait_for(lambda: WorkerHeartbeat.objects.first(), timeout=5, log=log)
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


def test_a_running_worker_says_which_queues_it_consumes(celery_worker_process):
    _, log = celery_worker_process

    beat = wait_for(lambda: WorkerHeartbeat.objects.exclude(queues=[]).first(), log=log)

    assert beat.queues == ["default", "inference", "training"]
    assert queue_listeners("training") == [beat.hostname]
    assert queue_listeners("gpu") == []
