"""Images of a subset read from storage when the adapter asks for them.

A worker never holds a subset's images: `StoredImages` keeps the storage names
and decodes one image per index. On the local folder back end a file is read
where it lies; from a remote store (S3) it is copied once into a cache folder on
the worker's disk, bounded by WORKER_CACHE_MB, least recently used first out.
The sequence pickles as its names, so a PyTorch DataLoader's worker processes
each open the storage for themselves.
"""

import itertools
import os
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.storage import storages
from modelyard.adapter import ImageFiles
from PIL import Image

EVICT_TO = 0.8  # after an eviction the cache holds at most this share of its bound


class StoredImages(ImageFiles):
    """`images[i]` reads and decodes the i-th stored file; `images[a:b]` is lazy too."""

    def read(self, path: str) -> np.ndarray:
        with open_stored(path) as handle, Image.open(handle) as image:
            return np.asarray(image.convert("RGB"))

    def __getstate__(self) -> dict:
        return {"paths": self.paths}


def open_stored(name: str):
    storage = storages["default"]
    try:
        return open(storage.path(name), "rb")
    except NotImplementedError:  # a remote store has no local path
        pass
    try:
        return open(image_cache().fetch(storage, name), "rb")
    except FileNotFoundError:  # evicted by another process between fetch and open
        return open(image_cache().fetch(storage, name), "rb")


class ImageCache:
    """Files of a remote store copied to a folder, within a byte budget."""

    def __init__(self, folder: Path, budget_bytes: int) -> None:
        self.folder, self.budget = folder, budget_bytes
        self.folder.mkdir(parents=True, exist_ok=True)
        self.used = sum(path.stat().st_size for path in self._files())
        # This process's order of use: file times are too coarse to order reads a few
        # milliseconds apart. Files only other processes used count as older.
        self._uses: dict[str, int] = {}
        self._clock = itertools.count()

    def fetch(self, storage, name: str) -> Path:
        target = self.folder / name.replace("/", "__")
        self._uses[target.name] = next(self._clock)
        if target.is_file():
            os.utime(target)  # recently used, for the other processes too
            return target
        self._copy(storage, name, target)
        self.used += target.stat().st_size
        if self.used > self.budget:
            self._evict(keep=target)
        return target

    def _copy(self, storage, name: str, target: Path) -> None:
        # Written beside and renamed, so another process never reads half a file.
        handle, partial = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "wb") as out, storage.open(name, "rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                out.write(chunk)
        os.replace(partial, target)

    def _evict(self, keep: Path) -> None:
        files = sorted(self._files(), key=self._last_use)
        for path in files:
            if self.used <= self.budget * EVICT_TO:
                break
            if path != keep:
                self.used -= path.stat().st_size
                path.unlink(missing_ok=True)

    def _last_use(self, path: Path) -> tuple[int, int]:
        return self._uses.get(path.name, -1), path.stat().st_mtime_ns

    def _files(self) -> list[Path]:
        return [path for path in self.folder.iterdir() if path.suffix != ".part"]


_caches: dict[int, ImageCache] = {}


def image_cache() -> ImageCache:
    """This process's cache (one per process: a forked loader worker makes its own)."""
    pid = os.getpid()
    if pid not in _caches:
        _caches[pid] = ImageCache(
            Path(settings.WORKER_CACHE_DIR) / "images", settings.WORKER_CACHE_MB * 1024 * 1024
        )
    return _caches[pid]
