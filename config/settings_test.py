"""Test settings: the same back ends as configured, made fast."""

import os

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a real worker process can open the same test database;
    # one per test run so runs side by side do not collide.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }

if CELERY_BROKER_URL.startswith("filesystem") and "MODELYARD_BROKER_DIR" not in os.environ:  # noqa: F405
    # Away from the broker of a `make run` on the same machine.
    BROKER_DIR = VAR_DIR / f"test-broker-{os.getpid()}"  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(BROKER_DIR)  # noqa: F405

# A test's worker imports only what its jobs ask for: most tests' jobs need neither
# scikit-learn nor torch, and each worker start would pay for both.
WORKER_PRELOAD = env.list("WORKER_PRELOAD", default=[])  # noqa: F405
