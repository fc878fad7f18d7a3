"""A worker process imports its jobs' libraries when it starts, not inside a job."""

import pytest

from tests.workers import start_worker, stop_worker, wait_for
from worker.preload import preload


def test_preload_imports_what_is_installed_and_names_what_is_not(caplog):
    caplog.set_level("WARNING", logger="worker.preload")

    imported = preload(["json", "modelyard_no_such_library"])

    assert imported == ["json"]
    assert "modelyard_no_such_library is not importable" in caplog.text


@pytest.mark.worker
def test_a_starting_worker_imports_the_listed_libraries_before_its_first_job(
    transactional_db, tmp_path, media_in_tmp
):
    extra = {"WORKER_PRELOAD": "sklearn.metrics,modelyard_no_such_library"}
    process, log = start_worker(tmp_path / "worker.log", media_in_tmp, extra_env=extra)
    try:
        text = wait_for(lambda: "ready." in log.read_text() and log.read_text(), log=log)
    finally:
        stop_worker(process)

    assert "modelyard_no_such_library is not importable" in text
    assert "preloaded sklearn.metrics in" in text
    assert text.index("preloaded sklearn.metrics") < text.index("ready.")
