"""Offline runs: batching, background sending, retries and flushing, against a stub."""

import threading
import time

import modelyard
import pytest
from modelyard import errors

MODEL = {"id": 5, "name": "exp"}
METRICS_PATH = ("POST", "/api/v1/models/5/metrics")


@pytest.fixture
def model(stub):
    client = modelyard.Client(stub.url, "token", retries=0)
    return modelyard.Model(client, MODEL)


def accept(body) -> tuple[int, dict]:
    return 201, {"accepted": len(body["metrics"])}


def points_sent(stub) -> list[dict]:
    return [point for request in stub.requests if request.body for point in request.body["metrics"]]


def test_logging_100000_points_returns_quickly_and_every_point_is_sent_in_batches(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run() as run:
        started = time.perf_counter()
        for step in range(20_000):
            run.log({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0, "e": step * 0.5}, step=step)
        logging_took = time.perf_counter() - started

    assert logging_took < 3.0  # ~0.1 s on a laptop; generous for slow CI machines
    sizes = [len(request.body["metrics"]) for request in stub.requests]
    assert max(sizes) <= 10_000
    assert sum(sizes) == run.sent == 100_000
    assert len({(p["name"], p["step"]) for p in points_sent(stub)}) == 100_000


def test_steps_count_up_by_themselves_and_follow_an_explicit_step(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run() as run:
        run.log({"loss": 0.9})
        run.log({"loss": 0.8})
        run.log({"loss": 0.5}, step=10)
        run.log({"loss": 0.4})

    assert [point["step"] for point in points_sent(stub)] == [0, 1, 10, 11]
    assert all(isinstance(point["timestamp"], float) for point in points_sent(stub))


def test_points_go_out_every_flush_interval_without_waiting_for_the_end(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run(flush_interval=0.2) as run:
        run.log({"loss": 0.9})
        deadline = time.monotonic() + 5
        while not stub.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(points_sent(stub)) == 1  # sent while the run is still open


def test_transient_errors_are_retried_and_no_point_is_lost(stub, model, monkeypatch):
    monkeypatch.setattr("modelyard.run.random.uniform", lambda a, b: 0.01)
    stub.answers[METRICS_PATH] = [(503, {}), (502, {}), (201, {"accepted": 3})]

    with model.run() as run:
        run.log({"a": 1, "b": 2, "c": 3})

    assert run.sent == 3
    assert len(stub.requests) == 3


def test_a_refused_batch_raises_metrics_not_sent_on_exit(stub, model):
    refusal = {"error": {"code": "invalid", "message": "metrics: bad", "fields": {}}}
    stub.answers[METRICS_PATH] = [(400, refusal)]

    with pytest.raises(errors.MetricsNotSent) as raised, model.run() as run:
        run.log({"a": 1, "b": 2})

    assert raised.value.points == 2
    assert isinstance(raised.value.cause, errors.BadRequest)
    assert len(stub.requests) == 1  # a 400 is not retried


def test_an_exception_in_the_block_still_flushes_then_propagates(stub, model):
    stub.answers[METRICS_PATH] = accept

    def train() -> None:
        with model.run(flush_interval=60) as run:
            run.log({"loss": 0.3})
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train()

    assert len(points_sent(stub)) == 1


def test_flush_sends_what_is_queued_before_returning(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run(flush_interval=60) as run:
        run.log({"loss": 0.3})
        run.flush()
        assert run.sent == 1


def test_log_blocks_only_when_far_behind(stub, model):
    def slow(body):
        time.sleep(0.2)
        return accept(body)

    stub.answers[METRICS_PATH] = slow

    with model.run(batch_size=10, max_pending=10) as run:
        started = time.perf_counter()
        for step in range(40):
            run.log({"loss": 1.0}, step=step)
        blocked = time.perf_counter() - started

    assert blocked >= 0.2  # it waited for the sender at least once
    assert run.sent == 40


def test_non_finite_values_are_skipped_with_a_warning(stub, model):
    stub.answers[METRICS_PATH] = accept

    run = model.run()

    def train() -> None:
        with run:
            run.log({"loss": float("nan"), "acc": 0.5})
            run.log({"loss": float("inf")})

    with pytest.warns(UserWarning, match="loss"):
        train()

    assert [point["name"] for point in points_sent(stub)] == ["acc"]
    assert run.dropped == 2


def test_bad_values_names_and_steps_raise_in_the_caller(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run() as run:
        with pytest.raises(TypeError):
            run.log({"loss": "low"})
        with pytest.raises(ValueError, match="characters"):
            run.log({"x" * 251: 1.0})
        with pytest.raises(ValueError, match="Steps"):
            run.log({"loss": 1.0}, step=-1)

    assert stub.requests == []


def test_numpy_scalars_are_numbers(stub, model):
    numpy = pytest.importorskip("numpy")
    stub.answers[METRICS_PATH] = accept

    with model.run() as run:
        run.log({"loss": numpy.float32(0.25), "epoch": numpy.int64(3)})

    assert [point["value"] for point in points_sent(stub)] == [0.25, 3.0]


def test_the_sender_thread_ends_with_the_run(stub, model):
    stub.answers[METRICS_PATH] = accept

    with model.run() as run:
        run.log({"loss": 0.1})

    assert not any(thread.name.startswith("modelyard-run") for thread in threading.enumerate())
