"""Artifacts: files attached to a model version (weights, reports)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

from modelyard import errors
from modelyard.entities.base import Entity, Repository, download_target

PathLike = str | os.PathLike[str]


class Artifact(Entity):
    path = "artifacts"
    model: int
    size: int
    sha256: str
    content_type: str
    download_url: str
    created_at: str

    def download(self, dest: PathLike) -> Path:
        """Save the file to ``dest`` (a file, or a folder to keep its name); checks sha256."""
        target = download_target(dest, self.name)
        return self.client.download(f"artifacts/{self.id}/download", target, self.sha256)

    def delete(self) -> None:
        self._delete()


class Artifacts(Repository[Artifact]):
    """The artifacts of one model version."""

    entity = Artifact
    noun = "artifact"

    def __init__(self, model: Entity) -> None:
        super().__init__(model.client, model=model)
        self.model = model

    def list(self) -> builtins.list[Artifact]:  # type: ignore[override]
        """Every artifact of the model."""
        return super().list()

    def get(self, name: str) -> Artifact:
        """The model's artifact of that name."""
        found = super().list(name=name)
        if not found:
            raise errors.NotFound(f"No artifact named {name!r} on {self.model!r}.")
        return found[0]

    def upload(self, path: PathLike, name: str | None = None, replace: bool = False) -> Artifact:
        """Attach a file (streamed from disk); ``replace=True`` replaces one of the same name."""
        file = Path(path)
        fields = [("model", str(self.model.id)), ("name", name or file.name)]
        fields.append(("replace", "true" if replace else "false"))
        row = self.client.upload("artifacts", fields, [("file", file, file.name)])
        return Artifact(self.client, row)

    def download(self, artifact: str | Artifact, dest: PathLike) -> Path:
        """Save an artifact (by name or object) to ``dest``, a file or a folder."""
        found = artifact if isinstance(artifact, Artifact) else self.get(artifact)
        return found.download(dest)
