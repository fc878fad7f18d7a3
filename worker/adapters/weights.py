"""The safe weights format of the built-in adapters: `weights.npz` + `model.json`.

* `weights.npz` holds plain numeric arrays only (numpy's zip of `.npy` files). It is
  read with ``allow_pickle=False``, so a file uploaded by a user can never run code:
  an object array in it is refused with a ValueError.
* `model.json` describes what the arrays mean: ``format`` (which adapter wrote it),
  ``version`` (of that format), ``labels`` (in output order) and the architecture.

Each adapter documents its own keys; this module only reads and writes the pair.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from worker.adapters.labels import labels_check

WEIGHTS_FILE = "weights.npz"
META_FILE = "model.json"


def weights_save(path: str | Path, *, arrays: dict[str, np.ndarray], meta: dict) -> None:
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / WEIGHTS_FILE, **{name: np.asarray(value) for name, value in arrays.items()})
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))


def weights_load(path: str | Path, *, expected_format: str) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the description, or a ValueError that names what is wrong."""
    folder = Path(path)
    meta = _meta_load(folder / META_FILE, expected_format)
    return _arrays_load(folder / WEIGHTS_FILE), meta


def _meta_load(file: Path, expected_format: str) -> dict:
    if not file.is_file():
        raise ValueError(
            f"no {META_FILE} in {file.parent}: these are not {expected_format} weights"
        )
    try:
        meta = json.loads(file.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{META_FILE} is not valid JSON: {error}") from error
    if not isinstance(meta, dict) or meta.get("format") != expected_format:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise ValueError(f"{META_FILE} describes format {found!r}, expected {expected_format!r}")
    return meta


def _arrays_load(file: Path) -> dict[str, np.ndarray]:
    if not file.is_file():
        raise ValueError(f"no {WEIGHTS_FILE} in {file.parent}")
    try:
        with np.load(file, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        # numpy says "Object arrays cannot be loaded when allow_pickle=False" for pickles.
        raise ValueError(f"{WEIGHTS_FILE} cannot be read safely: {error}") from error
    for name, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise ValueError(f"{WEIGHTS_FILE}: array {name!r} is {array.dtype}, not numeric")
    return arrays


def mlp_weights_read(
    adapter, path: str | Path, *, expected_format: str, version: int, name: str
) -> dict[str, np.ndarray]:
    """The arrays of an MLP adapter's saved weights, after the checks both built-ins need.

    The saved labels and architecture go into the adapter: the weights fit only them.
    """
    arrays, meta = weights_load(path, expected_format=expected_format)
    if meta.get("version") != version:
        raise ValueError(f"{name} weights version {meta.get('version')} is unknown")
    adapter.labels = labels_check(adapter.labels, meta.get("labels"))
    adapter.configuration["hidden_layer_sizes"] = list(meta.get("hidden_layer_sizes", []))
    return arrays
