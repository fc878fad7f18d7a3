"""The web process serves every page and API route without importing torch."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
from config.wsgi import application  # noqa: F401

def views(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from views(pattern.url_patterns)
        else:
            yield pattern.callback

assert len(list(views(get_resolver().url_patterns))) > 100
import demo.load  # noqa: F401  (load_demo's package list is read by the pages too)
print(sorted(name for name in sys.modules if name.split(".")[0] in ("torch", "torchvision")))
"""


def test_loading_every_view_of_the_web_process_imports_no_torch():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
