"""Job.wait follows progress as the server reports it (a stub scripts the states)."""

import modelyard
import pytest
from modelyard import errors


def state(status: str, progress: float, message: str = "", error: str = "") -> tuple[int, dict]:
    body = {"id": 9, "name": "train #9", "kind": "train", "status": status}
    return 200, body | {"progress": progress, "message": message, "error": error}


@pytest.fixture
def client(stub):
    return modelyard.Client(stub.url, "token", retries=0)


def test_wait_polls_until_the_job_succeeds(stub, client, capsys):
    stub.answers[("GET", "/api/v1/jobs/9")] = [
        state("queued", 0),
        state("running", 30, "epoch 3 of 10"),
        state("running", 80, "epoch 8 of 10"),
        state("succeeded", 100, "done"),
    ]

    job = client.jobs.get(9).wait(poll=0.01)

    assert job.status == "succeeded"
    assert len(stub.requests) == 4
    assert "epoch 8 of 10" in capsys.readouterr().err  # the tqdm bar shows the message


def test_wait_raises_job_failed_when_it_fails_midway(stub, client):
    stub.answers[("GET", "/api/v1/jobs/9")] = [
        state("running", 50),
        state("failed", 50, error="Traceback ...\nValueError: bad data"),
    ]

    with pytest.raises(errors.JobFailed, match="bad data"):
        client.jobs.get(9).wait(poll=0.01, progress=False)
