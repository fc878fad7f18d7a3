"""A multipart/form-data body streamed from disk, so a 2 GB artifact never sits in memory.

requests builds multipart bodies in memory; this object has a known length and a
``read``, so requests sends it with a Content-Length, a block at a time.
"""

from __future__ import annotations

import mimetypes
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

Field = tuple[str, str]
FilePart = tuple[str, Path, str]  # form field, file on disk, file name sent


class MultipartBody:
    """Fields and files encoded as multipart/form-data, read lazily."""

    def __init__(self, fields: Sequence[Field] = (), files: Sequence[FilePart] = ()) -> None:
        self.boundary = "modelyard-" + secrets.token_hex(16)
        self._parts: list[bytes | Path] = []
        for name, value in fields:
            self._parts += [self._head(name), value.encode(), b"\r\n"]
        for name, path, filename in files:
            self._parts += [self._head(name, filename), Path(path), b"\r\n"]
        self._parts.append(f"--{self.boundary}--\r\n".encode())
        self._length = sum(_size(part) for part in self._parts)
        self._chunks = self._read_all()
        self._chunk: bytes = b""
        self._offset = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        return self._read_all()

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (fewer near a part's end; b"" at the end), as file objects do."""
        if size < 0:
            rest = self._chunk[self._offset :] + b"".join(self._chunks)
            self._chunk, self._offset = b"", 0
            return rest
        while self._offset >= len(self._chunk):
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._chunk, self._offset = chunk, 0
        data = self._chunk[self._offset : self._offset + size]
        self._offset += len(data)
        return data

    def _head(self, name: str, filename: str | None = None) -> bytes:
        disposition = f'form-data; name="{_quoted(name)}"'
        head = f"--{self.boundary}\r\nContent-Disposition: {disposition}"
        if filename is not None:
            kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            head += f'; filename="{_quoted(filename)}"\r\nContent-Type: {kind}'
        return (head + "\r\n\r\n").encode()

    def _read_all(self) -> Iterator[bytes]:
        for part in self._parts:
            if isinstance(part, bytes):
                yield part
                continue
            with open(part, "rb") as handle:
                yield from _blocks(handle)


def _blocks(handle: BinaryIO, size: int = 1024 * 1024) -> Iterator[bytes]:
    while block := handle.read(size):
        yield block


def _size(part: bytes | Path) -> int:
    return len(part) if isinstance(part, bytes) else os.path.getsize(part)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "").replace("\n", "")
