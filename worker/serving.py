"""Deployed models kept warm in an inference worker process.

Each process holds a bounded LRU of loaded adapters keyed by (model id, artifact
sha256s), so a prediction does not read the weights again. Every use checks the
model's live deployment: an entry of a model that was undeployed (or whose
deployment was replaced) is dropped, and new weights give a new key, so
undeploying or retraining evicts what was loaded.

While a process holds deployments it beats for them (`Deployment.heartbeat_at`);
when the process dies the beats stop and the reaper fails the deployment.
"""

import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from registry.models import ModelVersion
from serving.models import LIVE_STATES, Deployment
from worker.training import build_adapter, fetch_artifacts


@dataclass
class Served:
    deployment_id: int
    adapter: object


_lock = threading.RLock()
_cache: "OrderedDict[tuple[int, tuple[str, ...]], Served]" = OrderedDict()
_beating: dict[str, threading.Thread] = {}
# Loads of weights in this process, read by tests and the benchmark.
loads = 0


class DeploymentGone(Exception):
    """The model has no live deployment any more: nothing to serve it with."""


def cache_size() -> int:
    return max(int(settings.INFERENCE_CACHE_SIZE), 1)


def cache_key(model: ModelVersion) -> tuple[int, tuple[str, ...]]:
    shas = model.artifacts.order_by("name").values_list("sha256", flat=True)
    return model.id, tuple(shas)


def served_adapter(model: ModelVersion, worker: str = "") -> tuple[object, bool]:
    """The model's loaded adapter and whether it was warm; DeploymentGone when not live."""
    deployment = live_deployment(model)
    evict_stale()
    key = cache_key(model)
    with _lock:
        served = _cache.get(key)
        if served is not None and served.deployment_id == deployment.id:
            _cache.move_to_end(key)
            return served.adapter, True
        adapter = _load(model)
        _cache[key] = Served(deployment_id=deployment.id, adapter=adapter)
        _cache.move_to_end(key)
        while len(_cache) > cache_size():
            _cache.popitem(last=False)
    if worker:
        _start_beating(worker)
    return adapter, False


def live_deployment(model: ModelVersion) -> Deployment:
    deployment = Deployment.objects.filter(model=model, state__in=LIVE_STATES).first()
    if deployment is None:
        raise DeploymentGone(f"{model.name} is not deployed any more.")
    return deployment


def evict_stale() -> int:
    """Drop entries whose model is no longer live, or live under another deployment."""
    with _lock:
        cached = {key: served.deployment_id for key, served in _cache.items()}
    if not cached:
        return 0
    live = set(
        Deployment.objects.filter(id__in=set(cached.values()), state__in=LIVE_STATES).values_list(
            "id", flat=True
        )
    )
    with _lock:
        gone = [key for key, deployment_id in cached.items() if deployment_id not in live]
        for key in gone:
            _cache.pop(key, None)
    return len(gone)


def evict(model_id: int) -> None:
    with _lock:
        for key in [key for key in _cache if key[0] == model_id]:
            del _cache[key]


def clear() -> None:
    with _lock:
        _cache.clear()


def cached_deployment_ids() -> list[int]:
    with _lock:
        return [served.deployment_id for served in _cache.values()]


def _load(model: ModelVersion):
    global loads
    adapter = build_adapter(model)
    with tempfile.TemporaryDirectory(prefix="modelyard-serve-") as folder:
        fetch_artifacts(model, Path(folder))
        adapter.load(folder)
    loads += 1
    return adapter


# --- Heartbeat of the deployments this process serves ---------------------------------


def beat(worker: str) -> int:
    """Say this process still serves its cached deployments; returns how many."""
    ids = cached_deployment_ids()
    if not ids:
        return 0
    return Deployment.objects.filter(id__in=ids, state__in=LIVE_STATES).update(
        heartbeat_at=timezone.now(), worker=worker
    )


def _start_beating(worker: str) -> None:
    with _lock:
        thread = _beating.get(worker)
        if thread is not None and thread.is_alive():
            return
        thread = threading.Thread(
            target=_beat_forever, args=(worker,), name="deployment-heartbeat", daemon=True
        )
        _beating[worker] = thread
    thread.start()


def _beat_forever(worker: str) -> None:
    stop = threading.Event()
    while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
        close_old_connections()
        try:
            beat(worker)
        except Exception:  # a lost connection now is no reason to stop beating later
            connection.close()
