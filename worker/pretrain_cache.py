"""load_demo's trainings, kept so that an identical one is not run twice.

Training the demo's pretrained versions takes a minute or more on a CPU. A
training is identical to an earlier one when the adapter, its configuration, the
labels, the images and annotations of both subsets, the code of the built-in
adapters and the versions of the libraries they use are the same; then its
weights, metric points and device are taken from the cache instead. Anything
else differing gives another key; storing a model's new entry removes its older ones.

Layout: WORKER_CACHE_DIR/pretrained/<key>/{record.json, artifacts/}.
"""

import hashlib
import json
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from django.conf import settings
from modelyard import TrainingData

from worker.streams import open_stored

LIBRARIES = ("torch", "torchvision", "scikit-learn", "numpy", "pillow", "safetensors")
# What decides the weights besides the data: the worker's code (adapters, data, training
# loop) and the SDK's adapter contract.
CODE_FOLDERS = ("worker", "sdk/modelyard")


def cache_key(*, adapter: str, configuration: dict, data: TrainingData) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([adapter, configuration, data.labels], sort_keys=True).encode())
    for subset in (data.train, data.validation):
        digest.update(json.dumps([subset.names, subset.annotations], sort_keys=True).encode())
        for path in subset.images.paths:
            with open_stored(path) as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    digest.update(_code_fingerprint().encode())
    digest.update(json.dumps([_version(name) for name in LIBRARIES]).encode())
    return digest.hexdigest()[:32]


def cached_training(key: str) -> Path | None:
    """The folder of the cached training with `key`, if there is one."""
    folder = _root() / key
    return folder if (folder / "record.json").is_file() else None


def cached_record(folder: Path) -> dict:
    """{"model": name, "points": [...], "environment": {...}} of a cached training."""
    return json.loads((folder / "record.json").read_text())


def cached_artifacts(folder: Path) -> list[Path]:
    return sorted(path for path in (folder / "artifacts").iterdir() if path.is_file())


def cache_store(model, key: str, *, points: list[dict], environment: dict) -> None:
    """Keep what `model` has just learned under `key`, in place of its older entries."""
    _root().mkdir(parents=True, exist_ok=True)
    _remove_entries_of(model.name)
    partial = Path(tempfile.mkdtemp(prefix=f"{key}.", suffix=".partial", dir=_root()))
    (partial / "artifacts").mkdir()
    for artifact in model.artifacts.all():
        target_path = partial / "artifacts" / artifact.name
        with artifact.file.open("rb") as source, open(target_path, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    record = {"model": model.name, "points": points, "environment": environment}
    (partial / "record.json").write_text(json.dumps(record))
    try:
        partial.rename(_root() / key)  # a half-written entry is never taken for a whole one
    except OSError:  # another process stored the same training meanwhile
        shutil.rmtree(partial, ignore_errors=True)


def _remove_entries_of(model_name: str) -> None:
    for record in _root().glob("*/record.json"):
        try:
            stale = json.loads(record.read_text()).get("model") == model_name
        except (OSError, ValueError):
            stale = True  # unreadable: of no use to anyone
        if stale:
            shutil.rmtree(record.parent, ignore_errors=True)


def _root() -> Path:
    return Path(settings.WORKER_CACHE_DIR) / "pretrained"


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
