"""Checks shared by every upload: file names, sizes, checksums."""

import hashlib
import re

from django.core.exceptions import ValidationError

SAFE_NAME = re.compile(r"^[\w][\w .+()@=,-]*$")


def checked_file_name(name: str, field: str = "file") -> str:
    """A plain file name: no folders, no '..', no control characters."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({field: "A file name of 1 to 200 characters is needed."})
    if "/" in name or "\\" in name or name in {".", ".."} or not SAFE_NAME.match(name):
        raise ValidationError(
            {field: f"{name!r} is not a plain file name (letters, digits, . _ - only)."}
        )
    return name


def checked_artifact_path(path: str, field: str = "path") -> str:
    """A relative path of plain file names, `folder/sub/file.txt` (as MLflow logs them)."""
    path = (path or "").strip().strip("/")
    parts = path.split("/")
    if not path or len(path) > 255 or len(parts) > 16:
        raise ValidationError({field: "A path of 1 to 255 characters and at most 16 parts."})
    for part in parts:
        checked_file_name(part, field)
    return path


def sha256_and_size(fileobj) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    chunks = (
        fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(1 << 20), b"")
    )
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    return digest.hexdigest(), size


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"
