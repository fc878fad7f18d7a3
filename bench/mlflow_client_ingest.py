"""The real mlflow client's log_batch against Modelyard and against `mlflow server`, in one run.

    .venv/bin/python bench/mlflow_client_ingest.py [--quick] [--workers 2] [--seed 0]

The ingestion of the side-by-side bench (5 metrics x 20,000 steps for one run), sent
the way a training script sends it: `MlflowClient().log_batch(run_id, metrics=[...])`,
which the client cuts into requests of 1,000 metrics (MLflow's limit). The same
client, the same `Metric` objects, once with MLFLOW_TRACKING_URI at `mlflow server`
(its own virtualenv, SQLite back end, as in bench/mlflow_side_by_side.py) and once
at Modelyard's MLflow-compatible API (`/mlflow`, gunicorn, embedded SQLite), with as
many server processes on each side. Timed: the log_batch call, and within it the
time spent in requests' transport (`HTTPAdapter.send`: connecting, sending the body,
the server's work, the answer's head), which is what each server side takes the
batches in; the rest is the client's own work (messages to protobuf and JSON, about
25 ms per 1,000 metrics here), the same for both. Every point is then read back
through the client's get_metric_history on both sides and compared with what was
sent. The goal: Modelyard takes them at least 10x faster.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mlflow_side_by_side import mlflow_server, mlflow_version, mlflow_virtualenv, our_server
from side_by_side_processes import note
from side_by_side_workload import FULL, METRICS, QUICK, T0_MS, mlflow_points, training_curves


@dataclass
class Sent:
    label: str
    points: int
    seconds: float  # the log_batch call
    taking: float  # of which in the transport: loopback HTTP and the server's work
    stored_ok: bool

    @property
    def client(self) -> float:
        return self.seconds - self.taking


def send(label: str, tracking_uri: str, token: str | None, series, experiment: str) -> Sent:
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    os.environ.pop("MLFLOW_TRACKING_TOKEN", None)
    if token:
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
    client = MlflowClient(tracking_uri=tracking_uri)
    experiment_id = client.create_experiment(experiment)
    warm, run = (client.create_run(experiment_id).info.run_id for _ in range(2))
    for round_ in range(4):  # imports and first requests in every server process, unclocked
        client.log_batch(warm, metrics=[Metric("warm", 1.0, T0_MS + round_, round_)])
        client.get_metric_history(warm, "warm")
    metrics = [
        Metric(p["key"], p["value"], p["timestamp"], p["step"]) for p in mlflow_points(series)
    ]
    with _transport_timed() as in_transport:
        started = time.perf_counter()
        client.log_batch(run, metrics=metrics)
        seconds = time.perf_counter() - started
    return Sent(label, len(metrics), seconds, in_transport[0], _read_back(client, run, series))


@contextlib.contextmanager
def _transport_timed():
    """The seconds spent in requests' HTTPAdapter.send meanwhile, in a one-item list."""
    from requests.adapters import HTTPAdapter

    spent, real = [0.0], HTTPAdapter.send

    def timed(self, request, **kwargs):
        started = time.perf_counter()
        try:
            return real(self, request, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    HTTPAdapter.send = timed
    try:
        yield spent
    finally:
        HTTPAdapter.send = real


def _read_back(client, run_id: str, series) -> bool:
    for one in series:
        history = sorted(client.get_metric_history(run_id, one.name), key=lambda m: m.step)
        steps = [metric.step for metric in history]
        values = [metric.value for metric in history]
        if steps != list(range(len(one.values))) or values != one.values.tolist():
            note(f"{one.name}: {len(history)} points read back, not what was sent")
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 steps instead of 20,000")
    parser.add_argument("--workers", type=int, default=2, help="server processes on each side")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    steps = (QUICK if args.quick else FULL).ingest_steps
    series = training_curves(np.random.default_rng(args.seed + 1), steps)
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    with tempfile.TemporaryDirectory(prefix="modelyard-bench-mlflow-client-") as temp:
        mlflow_virtualenv()
        with mlflow_server(args.workers, Path(temp)) as theirs:
            note(f"MLflow: {len(METRICS)} metrics x {steps:,} steps through log_batch")
            mlflow = send("mlflow server", theirs.url, None, series, "ingest")
        with our_server("Modelyard", None, 0, args.workers, Path(temp)) as (ours, _):
            note("Modelyard: the same, through /mlflow")
            token = ours.http.headers["Authorization"].split()[1]
            modelyard = send("Modelyard", f"{ours.url}/mlflow", token, series, "Bench/ingest")
    print(f"mlflow client and server {mlflow_version()} (SQLite, {args.workers} workers)")
    print(f"Modelyard under gunicorn ({args.workers} sync workers), embedded SQLite")
    for side in (mlflow, modelyard):
        print(
            f"  {side.label:14} {side.points:,} points: log_batch {side.seconds:6.2f} s, of "
            f"which the client's own work {side.client:4.2f} s and the server side "
            f"{side.taking:6.2f} s ({side.points / side.taking:9,.0f} points/s); read back "
            f"{'exactly' if side.stored_ok else 'WRONG'}"
        )
    print(
        f"  Modelyard takes the batches {mlflow.taking / modelyard.taking:.1f}x faster "
        f"(the whole log_batch call: {mlflow.seconds / modelyard.seconds:.1f}x)"
    )


if __name__ == "__main__":
    main()
