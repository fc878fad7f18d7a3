"""Retries and backoff, against a stub server that answers 502/503 on demand."""

import time

import modelyard
import pytest
from modelyard import errors


def test_reads_are_retried_on_503_until_they_succeed(stub):
    stub.answers[("GET", "/api/v1/jobs/7")] = [(503, {}), (502, {}), (200, {"id": 7, "name": "j"})]
    client = modelyard.Client(stub.url, "token", retries=3, backoff=0.01)

    job = client.jobs.get(7)

    assert job.id == 7
    assert len(stub.requests) == 3


def test_reads_give_up_after_the_retries_with_a_server_error(stub):
    stub.answers[("GET", "/api/v1/jobs/7")] = [(503, {"detail": "Down for a moment."})]
    client = modelyard.Client(stub.url, "token", retries=2, backoff=0.01)

    with pytest.raises(errors.ServerError) as raised:
        client.jobs.get(7)

    assert raised.value.message == "Down for a moment."
    assert len(stub.requests) == 3


def test_posts_are_not_retried_since_the_server_may_have_acted(stub):
    stub.answers[("POST", "/api/v1/models/3/train")] = [(503, {}), (201, {"id": 1})]
    client = modelyard.Client(stub.url, "token", retries=3, backoff=0.01)

    with pytest.raises(errors.ServerError):
        client.post("models/3/train")

    assert len(stub.requests) == 1


def test_an_unreachable_server_raises_connection_failed_after_backing_off(stub):
    url = stub.url
    stub.stop()
    client = modelyard.Client(url, "token", retries=2, backoff=0.05)
    started = time.monotonic()

    with pytest.raises(errors.ConnectionFailed):
        client.projects.list()

    assert time.monotonic() - started >= 0.05  # it waited between attempts
