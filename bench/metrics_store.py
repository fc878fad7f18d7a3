"""How fast the metrics store takes points in and hands series out.

    .venv/bin/python bench/metrics_store.py [--versions 20] [--steps 10000] [--million]

Builds a throw-away SQLite database under a temporary folder, removed at the end
(or uses DATABASE_URL when set) and, through Django's test client (JSON parsing,
auth, the view, the database; no network, bodies encoded before the clock starts):

1. ingestion: 5 metrics x 20,000 steps for one version, POSTed to
   /api/v1/models/{id}/metrics in requests of 10,000 points; prints points/s;
2. comparison fetch: `--versions` versions x 5 metrics x `--steps` steps, then one
   GET /api/v1/metrics/series at max_points=1000 for all of them;
3. with --million: one series of 1,000,000 points, read whole at 1,000 points and
   zoomed to 10,000 steps.
"""

import argparse
import atexit
import json
import shutil
import tempfile
import time

import numpy as np
from benchsetup import setup_django

METRICS = ("loss/train", "loss/val", "accuracy/train", "accuracy/val", "lr")


def requests_of(steps: int, per_request: int = 10_000) -> list[list[dict]]:
    """Points as a training loop sends them: every metric at each step, in step order."""
    rng = np.random.default_rng(0)
    points = [
        {"name": name, "step": step, "value": float(value), "timestamp": 1.7e9 + step}
        for step, row in enumerate(rng.normal(size=(steps, len(METRICS))))
        for name, value in zip(METRICS, row, strict=True)
    ]
    return [points[i : i + per_request] for i in range(0, len(points), per_request)]


def ingest(client, model, batches: list[list[dict]]) -> float:
    """Seconds the server spends on the requests; the bodies are encoded beforehand."""
    bodies = [json.dumps({"metrics": batch}) for batch in batches]
    started = time.perf_counter()
    for body in bodies:
        url = f"/api/v1/models/{model.id}/metrics"
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
    return time.perf_counter() - started


def fill_versions(project, package, versions: int, steps: int) -> list:
    from comparison.services import metrics_log
    from registry.models import ModelVersion

    batches = requests_of(steps)
    models = []
    for index in range(versions):
        model = ModelVersion.objects.create(project=project, package=package, name=f"v{index}")
        for batch in batches:
            metrics_log(model=model, points=batch)
        models.append(model)
    return models


def fetch(client, query: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(f"/api/v1/metrics/series?{query}")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    series = response.json()["series"]
    return elapsed, len(series), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--million", action="store_true")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="modelyard-bench-")
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    setup_django(var_dir)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from comparison.services import metrics_log
    from registry.models import Membership, ModelVersion, Package, Project

    user = get_user_model().objects.create_user("bench", password="bench")
    project = Project.objects.create(name="Bench")
    Membership.objects.create(project=project, user=user, role="owner")
    package = Package.objects.create(name="bench", adapter="bench:Adapter")
    client = Client()
    client.force_login(user)

    batches = requests_of(20_000)
    warm_up = ModelVersion.objects.create(project=project, package=package, name="warm-up")
    ingest(client, warm_up, batches[:1])  # imports and first-request set-up, not timed
    model = ModelVersion.objects.create(project=project, package=package, name="ingest")
    seconds = ingest(client, model, batches)
    total = sum(len(batch) for batch in batches)
    print(
        f"ingest   {total:,} points in {len(batches)} requests: {seconds:.2f} s, "
        f"{total / seconds:,.0f} points/s"
    )

    started = time.perf_counter()
    models = fill_versions(project, package, args.versions, args.steps)
    print(
        f"fill     {args.versions} versions x 5 x {args.steps:,} via metrics_log: "
        f"{time.perf_counter() - started:.1f} s"
    )
    ids = ",".join(str(m.id) for m in models)
    names = ",".join(METRICS)
    for _ in range(2):  # the second run shows the warm figure
        seconds, count, size = fetch(client, f"models={ids}&names={names}&max_points=1000")
        print(
            f"series   {count} series at max_points=1000: {seconds * 1000:.0f} ms, "
            f"{size / 1e6:.1f} MB of JSON"
        )

    if args.million:
        big = ModelVersion.objects.create(project=project, package=package, name="million")
        started = time.perf_counter()
        for start in range(0, 1_000_000, 10_000):
            values = np.random.default_rng(start).normal(size=10_000)
            metrics_log(
                model=big,
                points=[
                    {"name": "loss", "step": start + i, "value": float(v)}
                    for i, v in enumerate(values)
                ],
            )
        print(f"million  stored in {time.perf_counter() - started:.1f} s")
        for query in ("", "&start=500000&end=510000"):
            seconds, _, _ = fetch(client, f"models={big.id}&names=loss&max_points=1000{query}")
            print(f"million  read{query or ' whole'} at 1000 points: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
