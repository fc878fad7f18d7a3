"""Django for a bench script: its settings, its own var/ folder or a throw-away
PostgreSQL database, migrated. Each script calls one of these before its ORM work."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str | None = None, *, postgres: bool = False) -> None:
    """Migrate the database the script runs on: an embedded one under `var_dir`, or,
    with `postgres`, the DATABASE_URL the caller set (refusing to run on anything else)."""
    if postgres and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throw-away PostgreSQL database.")
    if var_dir is not None:
        os.environ.setdefault("MODELYARD_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
