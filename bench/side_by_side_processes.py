"""Processes, ports, folders and a throwaway database for bench/mlflow_side_by_side.py:
each undone in the end, on success, error, Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[1]


STARTED = time.monotonic()


def note(text: str) -> None:
    """Progress, on stderr; the results go to stdout at the end."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict, log: Path, cleanup: contextlib.ExitStack) -> Callable:
    """Start a server in its own process group; stopped (the whole group) at cleanup."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    cleanup.callback(stop, process)

    def exited() -> str | None:
        return None if process.poll() is None else log.read_text()[-3000:]

    return exited


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until_up(url: str, exited: Callable, headers: dict | None = None) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if (log := exited()) is not None:
            raise SystemExit(f"the server at {url} exited:\n{log}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(url, headers=headers, timeout=5).ok:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within 180 s")


def run_checked(command: list[str], env: dict | None = None) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def throwaway_database(url: str, cleanup: contextlib.ExitStack) -> None:
    """Create the PostgreSQL database the URL names; drop it at cleanup."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"--database-url: name a database like modelyard_bench, not {name!r}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone():
            raise SystemExit(f"database {name} exists; the bench only drops one it created")
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    cleanup.callback(drop)
