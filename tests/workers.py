"""Real `celery -A config worker` processes against the test database and broker."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _purge_queues() -> None:
    """Drop messages earlier tests queued without a worker (e.g. on a shared Redis)."""
    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("default", "training", "inference"):
            # A queue nobody declared yet has nothing to purge.
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)


def start_worker(log: Path, media: Path, extra_env: dict | None = None, beat: bool = False):
    """A worker on the test database; with `beat`, it also runs the periodic reaper."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _test_database_url(),
        "MEDIA_ROOT": str(media),
        "MODELYARD_BROKER_DIR": str(settings.BROKER_DIR),
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--queues",
        "default,training,inference",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"test-{os.getpid()}-{log.stem}@%h",
    ]
    if beat:
        command += ["--beat"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    return process, log


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, media_in_tmp):
    """Start a worker on the test database; the test's rows are visible to it."""
    _purge_queues()
    process, log = start_worker(tmp_path / "worker.log", media_in_tmp)
    yield process, log
    stop_worker(process)


def wait_for(predicate, timeout: float = 90, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"Timed out after {timeout}s. Worker log tail:\n{tail}")
