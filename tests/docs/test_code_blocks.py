"""Every code block of the documentation runs as written, or says why it cannot.

Python and shell blocks run, document by document and in order, against a live
server with the demo loaded and a real worker, from a folder holding the files
`manage.py demo_files` writes, as a reader who ran `make run` would run them.
JSON and TOML blocks must parse. A block that cannot run in a test (it starts a
server or installs something) says so on the line above its fence, and what it
names must exist.
"""

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import get_commands

from demo.files import sample_files_write
from demo.load import demo_load
from registry.services.tokens import token_create
from tests.docs.blocks import DATA, DOCUMENTS, OUTPUT, ROOT, RUN, SERVER, Block, blocks_of

BLOCK_SECONDS = 240  # a block that trains, evaluates and deploys on the demo takes a few


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_block_says_what_it_holds(document):
    unnamed = [block.where for block in blocks_of(document) if block.language == ""]
    unknown = [block.where for block in blocks_of(document) if block.language not in _KNOWN]

    assert unnamed == [], "a fence without a language"
    assert unknown == [], f"only {sorted(_KNOWN)}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_json_and_toml_blocks_parse(document):
    for block in blocks_of(document):
        if block.language == "json":
            json.loads(block.text.replace("...", ""))
        elif block.language == "toml":
            tomllib.loads(block.text)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_block_that_is_not_run_is_a_command_that_exists(document):
    for block in blocks_of(document):
        if block.not_run is not None:
            assert block.language in {"sh", "bash"}, f"{block.where}: only commands may skip"
            assert _missing(block) == [], block.where


def test_the_configuration_table_names_only_variables_modelyard_reads():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"`([A-Z][A-Z0-9_]+)`", "\n".join(_first_cells(table)))
    readers = ("config/settings.py", "config/env.py", "demo/management/commands/load_demo.py")
    settings = "".join((ROOT / path).read_text() for path in readers)

    assert len(names) > 20
    assert [name for name in names if f'"{name}"' not in settings] == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_every_block_runs_against_a_live_server_with_the_demo(
    live_server, celery_worker_process, tmp_path, monkeypatch
):
    demo_load(password="demo", say=lambda line: None)
    sample_files_write(tmp_path / "files")
    monkeypatch.chdir(tmp_path / "files")
    user = _demo_user()
    shell_env = {**os.environ, "TOKEN": token_create(user=user, name="docs")[1]}

    with _process_state_kept():
        failures = [
            failure
            for document in DOCUMENTS
            if (failure := _first_failure(document, live_server.url, shell_env)) is not None
        ]

    assert failures == [], "\n\n".join(failures)


def test_the_first_block_that_fails_is_named_and_stops_its_document(tmp_path):
    (tmp_path / "doc.md").write_text(
        "Text.\n\n```python\nfound = []\n```\n\n```python\nraise ValueError('no')\n```\n"
        "\n```python\nfound.append(1)\n```\n"
    )

    failure = _first_failure("doc.md", SERVER, dict(os.environ), root=tmp_path)

    assert failure == "doc.md:7 (python) failed: ValueError: no"


def test_the_shell_blocks_of_a_document_are_one_session(tmp_path):
    (tmp_path / "doc.md").write_text(
        '```sh\nANSWER=42\n```\n\n```sh\ntest "$ANSWER" = 42\n```\n\n```sh\nfalse\n```\n'
    )

    failure = _first_failure("doc.md", SERVER, dict(os.environ), root=tmp_path)

    assert failure is not None
    assert failure.startswith("doc.md:9 (sh) failed: RuntimeError: exit 1")


# --- Running the blocks ------------------------------------------------------

_KNOWN = RUN | DATA | OUTPUT


def _first_failure(document: str, url: str, shell_env: dict, root: Path = ROOT) -> str | None:
    """Run a document's blocks in order, as one reader would: the Python blocks in one
    namespace, the shell blocks in one session (what one sets, the next sees). The
    first block that fails stops the document."""
    namespace: dict = {"__name__": "__docs__"}
    shell_env = dict(shell_env)
    for block in blocks_of(document, root):
        if block.language not in RUN or block.not_run is not None:
            continue
        text = block.text.replace(SERVER, url)
        try:
            with _time_limit(BLOCK_SECONDS, block):
                _run(block, text, namespace, shell_env)
        except Exception as error:  # the block's own error, named by where it stands
            return f"{block.where} ({block.language}) failed: {type(error).__name__}: {error}"
    return None


def _run(block: Block, text: str, namespace: dict, shell_env: dict) -> None:
    if block.language == "python":
        exec(compile(text, block.where, "exec"), namespace)  # noqa: S102  (our own docs)
        return
    # `set -a` exports what the block assigns; the environment it ends with is the next's.
    with tempfile.NamedTemporaryFile() as ended:
        script = f"set -a\n{text}\nenv -0 > {shlex.quote(ended.name)}\n"
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            env=shell_env,
            capture_output=True,
            text=True,
            timeout=BLOCK_SECONDS,
        )
        variables = Path(ended.name).read_bytes().decode()
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr[-2000:] or done.stdout[-2000:]}")
    shell_env.clear()
    shell_env.update(entry.split("=", 1) for entry in variables.split("\0") if "=" in entry)


@contextlib.contextmanager
def _process_state_kept() -> Iterator[None]:
    """The Python blocks run in this process: what they set (environment variables, an
    mlflow run) must not outlive them."""
    environment = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(environment)
        mlflow = sys.modules.get("mlflow")
        while mlflow is not None and mlflow.active_run():
            mlflow.end_run()


@contextlib.contextmanager
def _time_limit(seconds: int, block: Block) -> Iterator[None]:
    """A block that waits for ever (a job that never ends) fails instead of hanging the run."""

    def too_long(signum, frame):
        raise TimeoutError(f"{block.where} ran for over {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _demo_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="demo")


# --- What a block that is not run names ----------------------------------------


def _missing(block: Block) -> list[str]:
    """The make targets, manage.py commands and local paths of `block` that do not exist."""
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    commands = set(get_commands())
    missing = []
    for target in re.findall(r"\bmake ([\w-]+)", block.text):
        missing += [] if target in targets else [f"make {target}"]
    for command in re.findall(r"manage\.py ([\w-]+)", block.text):
        missing += [] if command in commands else [f"manage.py {command}"]
    for path in re.findall(r"pip install (?:-e )?(\./\S+)", block.text):
        missing += [] if (ROOT / path).exists() else [path]
    return missing


def _first_cells(table: str) -> list[str]:
    return [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
