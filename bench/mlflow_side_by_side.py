"""Modelyard against MLflow's tracking server, side by side, in one run.

    .venv/bin/python bench/mlflow_side_by_side.py [--quick] [--workers 2] [--seed 0]
        [--database-url postgres://postgres@127.0.0.1:5432/modelyard_bench_mlflow]

(a) Ingestion: 5 metrics x 20,000 steps for one model version / run. Modelyard
    takes them through POST /api/v1/models/{id}/metrics in requests of 10,000
    points, MLflow through runs/log-batch in requests of 1,000 (its limit). Both
    clients start from the same point dicts in memory; JSON encoding and HTTP are
    timed. Every point is read back on both sides and compared with what was sent.
(b) Comparison fetch: 20 versions x 5 metrics x 10,000 steps loaded into both,
    one planted spike (a huge value at a random inner step of one series). Timed:
    everything a comparison chart needs. Modelyard: GET /api/v1/metrics/series at
    max_points=1000 for all series. MLflow: metrics/get-history for every full
    history, and its sampled metrics/get-history-bulk-interval at max_results=320
    (one request per metric, all runs). Prints times, bytes, points per series,
    ratios, and whether each sampled answer still holds the spike.

MLflow runs from its own virtualenv (/tmp/modelyard-bench-mlflow, made with
`pip install mlflow` on first use) with a SQLite back end in a temp folder, under
its own server (`mlflow server`: uvicorn; its job runner, which serves GenAI
scorers and not tracking, is switched off so it does not start during the
measurement). It is measured once; both Modelyard runs are compared with it.
Modelyard runs under gunicorn (sync workers, as many as MLflow's) on a fresh
embedded SQLite database, and, with --database-url, again on a PostgreSQL
database of that name, which the bench creates (it refuses one that exists) and
drops at the end. The temp folder, the servers and the database go away on
success, error, Ctrl-C or SIGTERM. Values come from a seeded generator, so two
runs send the same points. --quick shrinks every size for a smoke run (under a
minute once the MLflow virtualenv exists). Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import requests
from side_by_side_processes import (
    free_port,
    note,
    run_checked,
    start,
    throwaway_database,
    wait_until_up,
)
from side_by_side_workload import (
    FULL,
    METRICS,
    QUICK,
    SPIKE,
    T0_MS,
    Series,
    Sizes,
    Spike,
    batches,
    comparison_workload,
    mlflow_points,
    our_points,
    training_curves,
)

MLFLOW_VENV = Path("/tmp/modelyard-bench-mlflow")
OUR_BATCH = 10_000
MLFLOW_BATCH = 1_000  # MLflow's own limit per runs/log-batch request
OUR_MAX_POINTS = 1_000
MLFLOW_MAX_RESULTS = 320  # what MLflow's UI asks get-history-bulk-interval for
SETUP = """
import json, os
from django.contrib.auth import get_user_model
from registry.models import Membership, ModelVersion, Package, Project
from registry.services.tokens import token_create
user = get_user_model().objects.create_user("bench", password="bench")
project = Project.objects.create(name="Bench")
Membership.objects.create(project=project, user=user, role="owner")
package = Package.objects.create(name="bench-pkg", output_type="class", adapter="x.y:Z")
names = ["warm-up", "ingest"] + [f"v{i}" for i in range(int(os.environ["BENCH_VERSIONS"]))]
models = [ModelVersion.objects.create(project=project, package=package, name=n) for n in names]
print(json.dumps({"token": token_create(user=user, name="bench")[1],
                  "models": [model.id for model in models]}))
"""


# --- The workload ---------------------------------------------------------


# --- Processes, folders, the database: all undone in the end --------------


# --- MLflow ---------------------------------------------------------------


def mlflow_virtualenv() -> Path:
    mlflow = MLFLOW_VENV / "bin" / "mlflow"
    if not mlflow.exists():
        note(f"creating {MLFLOW_VENV} and installing mlflow (once; takes a few minutes)")
        run_checked([sys.executable, "-m", "venv", "--clear", str(MLFLOW_VENV)])
        run_checked([str(MLFLOW_VENV / "bin" / "pip"), "install", "--quiet", "mlflow"])
    return mlflow


def mlflow_version() -> str:
    python = str(MLFLOW_VENV / "bin" / "python")
    return run_checked([python, "-c", "import mlflow; print(mlflow.__version__)"]).strip()


class MlflowSide:
    label = "MLflow"

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.http.request(method, f"{self.url}{path}", timeout=600, **kwargs)
        if not response.ok:
            raise SystemExit(f"MLflow {path}: {response.status_code} {response.text[:500]}")
        return response

    def new_runs(self, count: int, experiment: str) -> list[str]:
        body = {"name": experiment}
        made = self.call("POST", "/api/2.0/mlflow/experiments/create", json=body).json()
        run = {"experiment_id": made["experiment_id"], "start_time": T0_MS}
        return [
            self.call("POST", "/api/2.0/mlflow/runs/create", json=run).json()["run"]["info"][
                "run_id"
            ]
            for _ in range(count)
        ]

    def log(self, run_id: str, points: list[dict]) -> float:
        """Seconds to send the points, 1,000 a request (encoding included)."""
        started = time.perf_counter()
        for batch in batches(points, MLFLOW_BATCH):
            body = json.dumps({"run_id": run_id, "metrics": batch})
            headers = {"Content-Type": "application/json"}
            self.call("POST", "/api/2.0/mlflow/runs/log-batch", data=body, headers=headers)
        return time.perf_counter() - started

    def history(self, run_id: str, name: str) -> tuple[list[dict], int]:
        """The full history (get-history without max_results answers it all at once)."""
        query = {"run_id": run_id, "metric_key": name}
        response = self.call("GET", "/api/2.0/mlflow/metrics/get-history", params=query)
        body = response.json()
        if body.get("next_page_token"):
            raise SystemExit("MLflow paged a full history; this bench reads one page")
        return body.get("metrics", []), len(response.content)

    def sampled(self, run_ids: list[str], name: str) -> tuple[list[dict], int]:
        query = {"run_ids": run_ids, "metric_key": name, "max_results": MLFLOW_MAX_RESULTS}
        path = "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"
        response = self.call("GET", path, params=query)
        return response.json().get("metrics", []), len(response.content)


# --- Modelyard --------------------------------------------------------------


class OurSide:
    def __init__(self, url: str, token: str, label: str) -> None:
        self.url, self.label = url, label
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.http.request(method, f"{self.url}{path}", timeout=600, **kwargs)
        if not response.ok:
            raise SystemExit(f"Modelyard {path}: {response.status_code} {response.text[:500]}")
        return response

    def log(self, model_id: int, points: list[dict]) -> float:
        """Seconds to send the points, 10,000 a request (encoding included)."""
        started = time.perf_counter()
        for batch in batches(points, OUR_BATCH):
            body = json.dumps({"metrics": batch})
            headers = {"Content-Type": "application/json"}
            path = f"/api/v1/models/{model_id}/metrics"
            accepted = self.call("POST", path, data=body, headers=headers).json()["accepted"]
            if accepted != len(batch):
                raise SystemExit(f"Modelyard accepted {accepted} of {len(batch)} points")
        return time.perf_counter() - started

    def series(self, model_ids: list[int], max_points: int) -> tuple[list[dict], int]:
        query = {
            "models": ",".join(map(str, model_ids)),
            "names": ",".join(METRICS),
            "max_points": max_points,
        }
        response = self.call("GET", "/api/v1/metrics/series", params=query)
        return response.json()["series"], len(response.content)


@contextlib.contextmanager
def our_server(
    label: str, database_url: str | None, versions: int, workers: int, folder: Path
) -> Iterator[tuple[OurSide, list[int]]]:
    """Modelyard under gunicorn on a fresh database; yields the client and its model ids."""
    with contextlib.ExitStack() as cleanup:
        var_dir = folder / re.sub(r"\W+", "-", label.lower())
        var_dir.mkdir()
        env = {**os.environ, "MODELYARD_VAR_DIR": str(var_dir), "DEBUG": "false"}
        env.update(DJANGO_SETTINGS_MODULE="config.settings", BENCH_VERSIONS=str(versions))
        env.pop("DATABASE_URL", None)
        if database_url:
            throwaway_database(database_url, cleanup)
            env["DATABASE_URL"] = database_url
        run_checked([sys.executable, "manage.py", "migrate", "--noinput"], env)
        shell = [sys.executable, "manage.py", "shell", "-c", SETUP]
        setup = json.loads(run_checked(shell, env).strip().splitlines()[-1])
        port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--timeout", "600", "--log-level", "warning"]
        exited = start(command, env, var_dir / "gunicorn.log", cleanup)
        url = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Token {setup['token']}"}
        wait_until_up(f"{url}/api/v1/projects", exited, headers)
        side = OurSide(url, setup["token"], label)
        cleanup.callback(side.http.close)  # before the server stops (callbacks run last first)
        yield side, setup["models"]


@contextlib.contextmanager
def mlflow_server(workers: int, folder: Path) -> Iterator[MlflowSide]:
    with contextlib.ExitStack() as cleanup:
        store = folder / "mlflow"
        store.mkdir()
        port = free_port()
        command = [str(mlflow_virtualenv()), "server", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--backend-store-uri", f"sqlite:///{store / 'mlflow.db'}"]
        command += ["--default-artifact-root", str(store / "artifacts"), "--workers", str(workers)]
        # Its job runner (huey consumers for GenAI scorers) is not part of tracking; off,
        # it no longer spends the first seconds of the measurement starting seven processes.
        env = {**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
        exited = start(command, env, store / "server.log", cleanup)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/health", exited)
        side = MlflowSide(url)
        cleanup.callback(side.http.close)
        yield side


# --- (a) ingestion ----------------------------------------------------------


@dataclass
class Ingested:
    label: str
    points: int
    seconds: float
    stored_ok: bool

    @property
    def rate(self) -> float:
        return self.points / self.seconds


def expected_columns(series: list[Series]) -> dict[str, tuple[list, list]]:
    return {s.name: (s.steps.tolist(), s.values.tolist()) for s in series}


def warm_up_mlflow(side: MlflowSide, run_id: str) -> None:
    """Imports and first-request set-up in every worker, outside the clock."""
    for round_ in range(4):
        side.log(run_id, [{"key": "warm", "value": 1.0, "timestamp": T0_MS + round_, "step": 0}])
        side.history(run_id, "warm")


def warm_up_ours(side: OurSide, model_id: int) -> None:
    for round_ in range(4):
        side.log(model_id, [{"name": "warm", "step": round_, "value": 1.0}])
        side.series([model_id], OUR_MAX_POINTS)


def ingest_mlflow(side: MlflowSide, series: list[Series]) -> Ingested:
    warm, run_id = side.new_runs(2, "ingest")
    warm_up_mlflow(side, warm)
    points = mlflow_points(series)
    seconds = side.log(run_id, points)
    stored = {}
    for name in METRICS:
        rows = sorted(side.history(run_id, name)[0], key=lambda row: int(row["step"]))
        stored[name] = ([int(row["step"]) for row in rows], [row["value"] for row in rows])
    return Ingested("MLflow", len(points), seconds, stored == expected_columns(series))


def ingest_ours(side: OurSide, warm: int, model_id: int, series: list[Series]) -> Ingested:
    warm_up_ours(side, warm)
    points = our_points(series)
    seconds = side.log(model_id, points)
    answer, _ = side.series([model_id], max_points=100_000)
    stored = {row["name"]: (row["steps"], row["values"]) for row in answer}
    complete = all(row["total_points"] == len(row["steps"]) for row in answer)
    return Ingested(
        side.label, len(points), seconds, complete and stored == expected_columns(series)
    )


def print_ingestion(mlflow: Ingested, ours: list[Ingested]) -> None:
    print(f"\n(a) ingestion: {mlflow.points:,} points (5 metrics), one version / run")
    for row in [mlflow, *ours]:
        checked = "every point read back equal" if row.stored_ok else "MISMATCH in what was stored"
        print(
            f"    {row.label:<22} {row.seconds:>8.2f} s  {row.rate:>10,.0f} points/s  ({checked})"
        )
    for row in ours:
        print(f"    {row.label} / MLflow: {row.rate / mlflow.rate:,.1f}x the points per second")


# --- (b) comparison fetch ---------------------------------------------------


@dataclass
class Fetched:
    label: str
    seconds: float
    requests: int
    size: int
    per_series: float
    spike: bool | None = None


def timed(repeat: int, fetch: Callable[[], tuple]) -> tuple[float, tuple]:
    """The median of `repeat` runs of fetch, and its last answer."""
    times, answer = [], ()
    for _ in range(repeat):
        started = time.perf_counter()
        answer = fetch()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def has_spike(steps: list, values: list, spike: Spike) -> bool:
    return any(int(s) == spike.step and v == SPIKE for s, v in zip(steps, values, strict=True))


def load_mlflow(side: MlflowSide, versions: list[list[Series]]) -> tuple[list[str], float]:
    run_ids = side.new_runs(len(versions), "compare")
    seconds = sum(
        side.log(run_id, mlflow_points(s)) for run_id, s in zip(run_ids, versions, strict=True)
    )
    return run_ids, seconds


def fetch_mlflow(
    side: MlflowSide, run_ids: list[str], spike: Spike, repeat: int
) -> tuple[Fetched, Fetched]:
    side.history(run_ids[0], METRICS[0])  # warm-up, outside the clock

    def full() -> tuple:
        return tuple(side.history(run_id, name) for run_id in run_ids for name in METRICS)

    def sampled() -> tuple:
        return tuple(side.sampled(run_ids, name) for name in METRICS)

    seconds, answers = timed(repeat, full)
    points = sum(len(rows) for rows, _ in answers) / len(answers)
    size = sum(size for _, size in answers)
    whole = Fetched("MLflow get-history (full)", seconds, len(answers), size, points)
    seconds, answers = timed(repeat, sampled)
    rows = [row for metric_rows, _ in answers for row in metric_rows]
    per_series = len(rows) / (len(run_ids) * len(METRICS))
    size = sum(size for _, size in answers)
    planted = [r for r in rows if r["run_id"] == run_ids[spike.version] and r["key"] == spike.name]
    found = has_spike([r["step"] for r in planted], [r["value"] for r in planted], spike)
    part = Fetched(
        f"MLflow bulk-interval {MLFLOW_MAX_RESULTS}", seconds, len(answers), size, per_series, found
    )
    return whole, part


def fetch_ours(side: OurSide, model_ids: list[int], spike: Spike, repeat: int) -> Fetched:
    side.series(model_ids[:1], OUR_MAX_POINTS)  # warm-up, outside the clock
    seconds, (series, size) = timed(repeat, lambda: side.series(model_ids, OUR_MAX_POINTS))
    per_series = sum(len(row["steps"]) for row in series) / len(series)
    planted = next(
        row
        for row in series
        if row["model"] == model_ids[spike.version] and row["name"] == spike.name
    )
    found = has_spike(planted["steps"], planted["values"], spike)
    label = f"{side.label} series {OUR_MAX_POINTS}"
    return Fetched(label, seconds, 1, size, per_series, found)


def print_fetch(sizes: Sizes, spike: Spike, mlflow: tuple[Fetched, Fetched], ours: list) -> None:
    count = sizes.versions * len(METRICS)
    print(
        f"\n(b) comparison fetch: {sizes.versions} versions x {len(METRICS)} metrics x "
        f"{sizes.compare_steps:,} steps ({count} series); spike {SPIKE:g} planted at step "
        f"{spike.step} of version {spike.version}, {spike.name}"
    )
    print(
        f"    {'':<34} {'time':>9} {'requests':>9} {'JSON':>10} {'points/series':>14}  spike kept"
    )
    for row in [*mlflow, *ours]:
        kept = {None: "-", True: "yes", False: "NO"}[row.spike]
        print(
            f"    {row.label:<34} {row.seconds:>8.3f}s {row.requests:>9} "
            f"{row.size / 1e6:>8.1f}MB {row.per_series:>14.0f}  {kept}"
        )
    full, sampled = mlflow
    for row in ours:
        print(
            f"    {row.label}: {full.seconds / row.seconds:,.0f}x faster than the full histories "
            f"(goal >= 50x), {sampled.seconds / row.seconds:,.1f}x faster than the sampled "
            f"endpoint (goal >= 8x), {row.per_series / sampled.per_series:.1f}x its points "
            "per series"
        )


# --- The run ------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    sizes: Sizes
    ingest: list[Series]
    versions: list[list[Series]]
    spike: Spike
    repeat: int  # each fetch is timed this many times; the median is shown


@dataclass(frozen=True)
class SideResults:
    ingested: Ingested
    load_seconds: float
    fetched: tuple[Fetched, ...]


def run_mlflow(work: Workload, workers: int, folder: Path) -> SideResults:
    with mlflow_server(workers, folder) as side:
        note(f"MLflow: ingesting {len(work.ingest) * work.sizes.ingest_steps:,} points")
        ingested = ingest_mlflow(side, work.ingest)
        note(f"MLflow: loading {len(work.versions)} runs for the comparison (the slow part)")
        run_ids, load = load_mlflow(side, work.versions)
        note("MLflow: fetching full histories, then the sampled endpoint")
        fetched = fetch_mlflow(side, run_ids, work.spike, work.repeat)
    return SideResults(ingested, load, fetched)


def run_ours(
    label: str, database_url: str | None, work: Workload, workers: int, folder: Path
) -> SideResults:
    with our_server(label, database_url, work.sizes.versions, workers, folder) as (side, ids):
        warm, ingest, *compare = ids
        note(f"{label}: ingesting, loading the comparison, fetching")
        ingested = ingest_ours(side, warm, ingest, work.ingest)
        load = sum(
            side.log(model_id, our_points(series))
            for model_id, series in zip(compare, work.versions, strict=True)
        )
        fetched = fetch_ours(side, compare, work.spike, work.repeat)
    return SideResults(ingested, load, (fetched,))


def print_loading(work: Workload, mlflow: SideResults, ours: list[SideResults]) -> None:
    loaded = work.sizes.versions * work.sizes.compare_steps * len(METRICS)
    times = ", ".join(
        f"{side.ingested.label} {side.load_seconds:.1f} s" for side in [mlflow, *ours]
    )
    print(f"\n    loading the {loaded:,} comparison points took: {times}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--workers", type=int, default=2, help="server processes on each side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="time each fetch N times, median")
    parser.add_argument("--database-url", help="also run Modelyard on this PostgreSQL database")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every cleanup below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes = QUICK if args.quick else FULL
    versions, spike = comparison_workload(args.seed, sizes)
    ingest = training_curves(np.random.default_rng(args.seed + 1), sizes.ingest_steps)
    work = Workload(sizes, ingest, versions, spike, args.repeat)
    databases = [("Modelyard SQLite", None)]
    if args.database_url:
        databases.append(("Modelyard PostgreSQL", args.database_url))
    with tempfile.TemporaryDirectory(prefix="modelyard-bench-side-by-side-") as temp:
        mlflow_virtualenv()
        mlflow = run_mlflow(work, args.workers, Path(temp))
        ours = [run_ours(label, url, work, args.workers, Path(temp)) for label, url in databases]
    print(
        f"MLflow {mlflow_version()}: `mlflow server` (uvicorn, {args.workers} workers), "
        "SQLite back end, job runner off"
    )
    print(f"Modelyard: gunicorn config.wsgi ({args.workers} sync workers), Django's WSGI app")
    print_ingestion(mlflow.ingested, [side.ingested for side in ours])
    print_fetch(sizes, spike, mlflow.fetched, [side.fetched[0] for side in ours])
    print_loading(work, mlflow, ours)


if __name__ == "__main__":
    main()
