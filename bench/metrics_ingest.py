"""How fast metric points reach the server: the SDK's offline run against raw requests.

    .venv/bin/python bench/metrics_ingest.py [--metrics 5] [--steps 20000]

Starts `manage.py runserver` on a free 127.0.0.1 port over a throw-away
MODELYARD_VAR_DIR (fresh SQLite database, migrated), creates a user, a token, a
project, a package and two model versions with `manage.py shell -c`, then logs
metrics × steps points (a) through `model.run()` / `run.log()` and (b) as raw
`requests` POSTs of 10,000 points, and prints points per second for each. The
server is stopped and the folder removed at the end. Nothing leaves loopback.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BATCH = 10_000
SETUP = """
import json
from django.contrib.auth import get_user_model
from registry.models import Membership, ModelVersion, Package, Project
from registry.services.tokens import token_create
user = get_user_model().objects.create_user("bench", password="bench")
project = Project.objects.create(name="Bench")
Membership.objects.create(project=project, user=user, role="owner")
package = Package.objects.create(name="bench-pkg", output_type="class", adapter="x.y:Z")
models = [
    ModelVersion.objects.create(project=project, package=package, name=name)
    for name in ("sdk run", "raw requests")
]
print(json.dumps({"token": token_create(user=user, name="bench")[1],
                  "models": [model.id for model in models]}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one below
    )


def wait_until_up(url: str, token: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited:\n{log.read_text()[-3000:]}")
        try:
            headers = {"Authorization": f"Token {token}"}
            if requests.get(f"{url}/api/v1/projects", headers=headers, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise SystemExit("runserver did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def values(metrics: int, step: int) -> dict[str, float]:
    return {f"metric/{index}": 1.0 / (step + index + 1) for index in range(metrics)}


def bench_sdk(url: str, token: str, model_id: int, metrics: int, steps: int) -> dict:
    import modelyard

    model = modelyard.Client(url, token).models.get(model_id=model_id)
    started = time.perf_counter()
    with model.run() as run:
        for step in range(steps):
            run.log(values(metrics, step), step=step)
        logged = time.perf_counter()
    finished = time.perf_counter()
    return {"log_calls": logged - started, "total": finished - started, "sent": run.sent}


def bench_raw(url: str, token: str, model_id: int, metrics: int, steps: int) -> dict:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    endpoint = f"{url}/api/v1/models/{model_id}/metrics"
    started = time.perf_counter()
    batch: list[dict] = []
    sent = 0
    for step in range(steps):
        now = time.time()
        batch += [
            {"name": name, "step": step, "value": value, "timestamp": now}
            for name, value in values(metrics, step).items()
        ]
        if len(batch) >= BATCH or step == steps - 1:
            for start in range(0, len(batch), BATCH):
                chunk = batch[start : start + BATCH]
                response = session.post(endpoint, json={"metrics": chunk}, timeout=120)
                response.raise_for_status()
                sent += response.json()["accepted"]
            batch = []
    return {"total": time.perf_counter() - started, "sent": sent}


def stored(url: str, token: str, model_id: int) -> int:
    headers = {"Authorization": f"Token {token}"}
    endpoint = f"{url}/api/v1/models/{model_id}/metrics?page_size=500"
    rows = requests.get(endpoint, headers=headers, timeout=30).json()["results"]
    return sum(row["point_count"] for row in rows)


def report(label: str, points: int, result: dict, in_store: int) -> None:
    rate = points / result["total"]
    line = f"{label:<28} {points:>9,} points  {result['total']:>7.2f} s  {rate:>10,.0f} points/s"
    if "log_calls" in result:
        line += f"  (log() calls took {result['log_calls']:.2f} s in all)"
    print(line + f"  stored: {in_store:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20_000)
    args = parser.parse_args()
    points = args.metrics * args.steps
    var_dir = Path(tempfile.mkdtemp(prefix="modelyard-bench-metrics-"))
    env = {**os.environ, "MODELYARD_VAR_DIR": str(var_dir), "DEBUG": "false"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.pop("DATABASE_URL", None)  # always a fresh SQLite database in the temp folder
    server = None
    try:
        manage(env, "migrate", "--noinput")
        setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        token, (sdk_model, raw_model) = setup["token"], setup["models"]
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(env, port, var_dir / "runserver.log")
        wait_until_up(url, token, server, var_dir / "runserver.log")
        print(f"{args.metrics} metrics × {args.steps:,} steps against {url} (SQLite, runserver)")
        sdk = bench_sdk(url, token, sdk_model, args.metrics, args.steps)
        report("(a) SDK offline run", points, sdk, stored(url, token, sdk_model))
        raw = bench_raw(url, token, raw_model, args.metrics, args.steps)
        report("(b) raw requests, 10k/POST", points, raw, stored(url, token, raw_model))
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
