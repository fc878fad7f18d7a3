"""An operator's weights file becomes a version's weights (`manage.py import_weights`).

The file is any state_dict the version's architecture takes (`.safetensors`, or
`.pt` / `.pth` read with weights_only, never unpickled into code), ImageNet weights
fetched elsewhere for example. The package's adapter loads it, so what does not fit
is refused before anything changes; what it saves replaces the version's weights,
with the file's sha256 in `model.json`, the description and the history.
"""

import json
import shutil
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from registry.models import ModelStatus, ModelVersion
from registry.services.models import model_set_status, model_set_tags
from worker.adapters.torch_common import META_FILE, file_sha256
from worker.training import build_adapter, upload_artifacts

DEMO_TAGS = {"trained-on:demo-digits", "not-imagenet"}


def weights_import(*, model: ModelVersion, path: Path, labels: list[str] | None = None) -> dict:
    """Load `path` through the package's adapter and make it the version's weights."""
    sha256 = file_sha256(path)
    with tempfile.TemporaryDirectory(prefix="modelyard-import-") as folder:
        given, out = Path(folder, "in"), Path(folder, "out")
        given.mkdir()
        out.mkdir()
        shutil.copy(path, given / path.name)
        adapter = _adapter_loaded(model, given, labels)
        adapter.save(str(out))
        _meta_stamp(out / META_FILE, source=path.name, sha256=sha256)
        with transaction.atomic():
            upload_artifacts(model, out, user=None)
            _describe(model, adapter.labels, source=path.name, sha256=sha256)
    return {"sha256": sha256, "labels": len(adapter.labels)}


def _adapter_loaded(model: ModelVersion, folder: Path, labels: list[str] | None):
    adapter = build_adapter(model)
    # An ImageNet head has 1,000 classes, not the version's labels: the file decides
    # how many, and keeps the version's names when it has as many classes.
    adapter.labels = []
    adapter.load(str(folder))
    found = len(adapter.labels)
    if labels and found and len(labels) != found:
        raise ValueError(f"--labels names {len(labels)} labels; the weights' head has {found}")
    if labels:
        adapter.labels = list(labels)
    elif found == len(model.labels):
        adapter.labels = list(model.labels)
    if not adapter.labels:
        raise ValueError("the weights name no labels: pass --labels")
    adapter.predict([])  # builds the net from the file: a misfit fails here, not later
    return adapter


def _meta_stamp(file: Path, *, source: str, sha256: str) -> None:
    meta = json.loads(file.read_text())
    meta["weights"] = {
        "source": source,
        "sha256": sha256,
        "imported_at": timezone.now().isoformat(),
    }
    file.write_text(json.dumps(meta, indent=2, sort_keys=True))


def _describe(model: ModelVersion, labels: list[str], *, source: str, sha256: str) -> None:
    model.description = (
        f"Weights imported by the operator from {source} (sha256 {sha256}) on "
        f"{timezone.now():%Y-%m-%d}; Modelyard did not train them."
    )
    model.labels = list(labels)
    model.save(update_fields=["description", "labels", "updated_at"])
    tags = [tag for tag in model.tags.values_list("name", flat=True) if tag not in DEMO_TAGS]
    model_set_tags(model=model, tags=[*tags, "weights:imported"])
    model_set_status(
        model=model,
        status=ModelStatus.PRE_TRAINED,
        reason=f"weights imported, sha256 {sha256[:12]}",
    )
