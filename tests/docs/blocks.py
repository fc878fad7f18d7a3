"""The fenced code blocks of the documentation, and how each one is checked."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [
    "README.md",
    "docs/README.md",
    "docs/concepts.md",
    "docs/api.md",
    "docs/adapters.md",
    "docs/mlflow.md",
    "docs/architecture.md",
    "sdk/README.md",
    "examples/custom_package/README.md",
]
RUN = {"python", "sh", "bash"}  # run against a live server, in order
DATA = {"json", "toml"}  # parsed
OUTPUT = {"text"}  # what a command prints: read, not run
NOT_RUN = re.compile(r"^<!-- not run: (?P<why>.+) -->$")
FENCE = re.compile(r"^(?P<ticks>`{3,})(?P<language>[\w-]*)\s*$")
# The address `make run` serves on; the tests put the live server's in its place.
SERVER = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Block:
    document: str
    line: int  # of the opening fence, counted from 1
    language: str
    text: str
    not_run: str | None  # why, when the line above the fence says it is not run

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"


def blocks_of(document: str, root: Path = ROOT) -> list[Block]:
    lines = (root / document).read_text().splitlines()
    blocks, index = [], 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        end = _closing(lines, index, fence["ticks"])
        above = NOT_RUN.match(lines[index - 1].strip()) if index else None
        text = "\n".join(lines[index + 1 : end]) + "\n"
        why = above["why"] if above else None
        blocks.append(Block(document, index + 1, fence["language"], text, why))
        index = end + 1
    return blocks


def _closing(lines: list[str], start: int, ticks: str) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == ticks:
            return index
    raise AssertionError(f"the block at line {start + 1} is never closed")
