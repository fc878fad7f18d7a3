"""Deployed digits-mlp: cold vs warm, single-image latency, item throughput.

    .venv/bin/python bench/inference.py [--images 50] [--items 1000]

Works in a throw-away folder (SQLite, filesystem broker, local files) unless
DATABASE_URL / CELERY_BROKER_URL are set. Trains digits-mlp on the 1,797 digits in
this process, starts real `celery -A config worker --queues inference` processes and
prints:
1. cold: deploy → ready (the warm-up loads the weights), then the first image
   prediction through the API (POST /models/{id}/predict, multipart) after it;
2. warm: `--images` single-image predictions through the API: median and p95 ms;
3. throughput of button-triggered inference on `--items` items (four presses of
   items/4 each), in items per second, with one worker process and with two.
API calls go through Django's test client (the whole view stack, no HTTP socket).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "sdk"))
PRESSES = 4


def setup(folder: Path) -> None:
    os.environ.setdefault("MODELYARD_VAR_DIR", str(folder))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(folder / "media"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PYTHONPATH"] = f"{ROOT / 'sdk'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def trained_model():
    from django.contrib.auth import get_user_model

    from tests.digits import digits_model
    from worker.inline import pretrain

    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}", password="x")
    model = digits_model(user)
    pretrain(model=model, dataset=model.dataset, say=lambda line: None)
    return model


def start_workers(count: int, folder: Path) -> list[subprocess.Popen]:
    workers = []
    for index in range(count):
        log = (folder / f"worker-{index}.log").open("w")
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
            "--queues", "inference", "--without-gossip", "--without-mingle",
            "--hostname", f"bench-{index}-{os.getpid()}@%h", "--loglevel", "WARNING",
        ]  # fmt: skip
        workers.append(subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def client_for(user):
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="localhost")
    client.force_authenticate(user=user)
    return client


def wait(predicate, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            sys.exit("timed out; see the worker logs")
        time.sleep(0.02)


def deploy(client, model) -> float:
    from serving.models import Deployment

    started = time.perf_counter()
    deployment_id = client.post(f"/api/v1/models/{model.id}/deploy").json()["id"]
    wait(lambda: Deployment.objects.get(pk=deployment_id).state != "starting")
    state = Deployment.objects.get(pk=deployment_id)
    if state.state != "ready":
        sys.exit(f"deployment failed: {state.error}")
    return time.perf_counter() - started


def predict_image(client, model, data: bytes, name: str) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, data, content_type="image/png")
    started = time.perf_counter()
    response = client.post(f"/api/v1/models/{model.id}/predict", {"image": upload})
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"predict answered {response.status_code}: {response.content[:300]}")
    return elapsed


def throughput(client, model, ids: list[int]) -> float:
    from jobs.models import Job

    size = -(-len(ids) // PRESSES)
    started = time.perf_counter()
    jobs = [
        client.post(
            f"/api/v1/models/{model.id}/predict", {"items": ids[i : i + size]}, format="json"
        ).json()["id"]
        for i in range(0, len(ids), size)
    ]
    wait(lambda: not Job.objects.filter(id__in=jobs, status__in=["queued", "running"]).exists())
    elapsed = time.perf_counter() - started
    failed = Job.objects.filter(id__in=jobs).exclude(status="succeeded").count()
    if failed:
        sys.exit(f"{failed} predict jobs did not succeed")
    return len(ids) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="modelyard-bench-inference-"))
    setup(folder)
    from data.models import Item

    print("training digits-mlp ...", flush=True)
    model = trained_model()
    client = client_for(model.created_by)
    items = list(Item.objects.filter(dataset=model.dataset).order_by("id")[: args.items])
    sample = items[0].file.read()

    workers = start_workers(1, folder)
    try:
        ready = deploy(client, model)
        first = predict_image(client, model, sample, items[0].name)
        warm = sorted(
            predict_image(client, model, sample, items[0].name) for _ in range(args.images)
        )
        print(f"cold: deploy → ready {ready * 1000:.0f} ms; first image after it "
              f"{first * 1000:.1f} ms")  # fmt: skip
        p95 = warm[min(len(warm) - 1, int(0.95 * len(warm)))]
        print(f"warm single image via the API ({len(warm)}): median "
              f"{statistics.median(warm) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")  # fmt: skip
        one = throughput(client, model, [item.id for item in items])
        print(f"{len(items)} items, 1 worker: {one:.0f} items/s")
    finally:
        stop_workers(workers)
    workers = start_workers(2, folder)
    try:
        throughput(client, model, [items[0].id, items[1].id])  # both load the model first
        throughput(client, model, [item.id for item in items[:PRESSES]])
        two = throughput(client, model, [item.id for item in items])
        print(f"{len(items)} items, 2 workers: {two:.0f} items/s ({PRESSES} presses)")
    finally:
        stop_workers(workers)


if __name__ == "__main__":
    main()
