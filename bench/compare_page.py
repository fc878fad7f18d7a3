"""The comparison page at its planned size: 200 versions x 5 metrics x 10,000 steps.

    .venv/bin/python bench/compare_page.py [--versions 200] [--steps 10000]

Builds a throw-away SQLite database under a temporary folder (or uses DATABASE_URL;
give it a database you can lose), stores the points through the `metrics_log`
service in requests of 10,000 points (as the API would, without HTTP), then times,
through Django's test client (all server time: view, queries, template):

1. the comparison page itself with every version and the 5 metrics, plain, with the
   value at a step (`at=`), and with every parameter (`diff=0`): median and worst
   of 5 requests, the number of queries, and the peak of memory allocated during one
   request (tracemalloc; measured in a separate request, as tracing slows Python);
2. what the charts fetch after the page: one /api/v1/metrics/series request per
   metric at 1,000 points per series, as static/comparison/compare_charts.js does;
3. the chart-data CSV download of the page (1,000 series, downsampled).
"""

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc

import numpy as np
from benchsetup import setup_django

METRICS = ("loss/train", "loss/val", "accuracy/train", "accuracy/val", "lr")
PER_REQUEST = 10_000


def batches_for(index: int, steps: int) -> list[list[dict]]:
    """Every metric at each step, in step order, cut into 10,000-point requests."""
    rng = np.random.default_rng(index)
    walk = np.cumsum(rng.normal(scale=0.01, size=(steps, len(METRICS))), axis=0)
    decay = np.exp(-np.arange(steps) / (steps / 4))[:, None]
    values = (decay * (1 + index / 100) + walk).tolist()
    points = [
        {"name": name, "step": step, "value": value, "timestamp": 1.7e9 + step * 0.5}
        for step, row in enumerate(values)
        for name, value in zip(METRICS, row, strict=True)
    ]
    return [points[i : i + PER_REQUEST] for i in range(0, len(points), PER_REQUEST)]


def build(versions: int, steps: int):
    from django.contrib.auth import get_user_model

    from comparison.services import metrics_log
    from registry.models import Membership, ModelVersion, Package, Project

    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}")
    project = Project.objects.create(name=f"compare-bench-{time.time_ns()}")
    Membership.objects.create(project=project, user=user, role="viewer")
    package = Package.objects.create(name=f"bench-{project.id}", adapter="bench:Adapter")
    models = []
    for index in range(versions):
        configuration = {
            "lr": 10 ** -(index % 4 + 1),
            "epochs": 30,
            "optimizer": {"name": ("sgd", "adam")[index % 2], "momentum": 0.9},
            "seed": index,
        }
        model = ModelVersion.objects.create(
            project=project, package=package, name=f"v{index:03d}", configuration=configuration
        )
        for batch in batches_for(index, steps):
            metrics_log(model=model, points=batch)
        models.append(model)
    return user, project, models


def client_for(user):
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def timed_get(client, url: str) -> tuple[float, int, int]:
    """(ms, queries, bytes) of one request, the body read in full (streams included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        # A stream is read piece by piece and let go, as a server would send it.
        pieces = response.streaming_content if response.streaming else [response.content]
        size = sum(len(piece) for piece in pieces)
        took = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"{url[:120]} answered {response.status_code}")
    return took, len(queries), size


def peak_mb(client, url: str) -> float:
    """The most memory Python allocated at once while serving `url`, above where it began."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    timed_get(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / 1e6


def report(label: str, client, url: str, runs: int = 5) -> None:
    timed_get(client, url)  # warm: templates compiled, caches filled
    took = [timed_get(client, url) for _ in range(runs)]
    times = [ms for ms, _, _ in took]
    _, queries, size = took[-1]
    memory = peak_mb(client, url)
    print(
        f"{label:<44} median {statistics.median(times):6.0f} ms, worst {max(times):6.0f} ms, "
        f"{queries:3d} queries, {size / 1e6:6.2f} MB, peak +{memory:6.1f} MB",
        flush=True,
    )


def chart_requests(client, ids: str, runs: int = 3) -> None:
    """The five requests the page's charts make, one after another (the browser runs
    them side by side)."""
    urls = [f"/api/v1/metrics/series?models={ids}&names={name}&max_points=1000" for name in METRICS]
    for url in urls:
        timed_get(client, url)
    totals = []
    for _ in range(runs):
        totals.append(sum(timed_get(client, url)[0] for url in urls))
    slowest = max(timed_get(client, url)[0] for url in urls)
    memory = max(peak_mb(client, url) for url in urls)
    print(
        f"{'charts: 5 series requests (1,000 pts/series)':<44} total median "
        f"{statistics.median(totals):6.0f} ms, slowest single {slowest:6.0f} ms, "
        f"peak +{memory:6.1f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--steps", type=int, default=10_000)
    options = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="modelyard-bench-"))
    from django.db import connection

    started = time.perf_counter()
    user, project, models = build(options.versions, options.steps)
    points = options.versions * len(METRICS) * options.steps
    print(
        f"{connection.vendor}: stored {options.versions} versions x {len(METRICS)} metrics x "
        f"{options.steps:,} steps ({points:,} points) in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    client = client_for(user)
    ids = ",".join(str(model.id) for model in models)
    page = f"/projects/{project.id}/compare/?models={ids}&metrics={','.join(METRICS)}"
    report(f"page: {len(models)} versions x {len(METRICS)} metrics", client, page)
    report("page: ... with the value at step 5,000", client, page + "&at=5000")
    report("page: ... with every parameter (diff=0)", client, page + "&diff=0&transpose=1")
    chart_requests(client, ids)
    csv = f"/projects/{project.id}/compare/export/series.csv?models={ids}"
    series = len(models) * len(METRICS)
    report(f"chart data CSV ({series:,} series downsampled)", client, csv, runs=2)


if __name__ == "__main__":
    main()
