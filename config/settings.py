"""Modelyard settings, read from the environment.

With nothing set this is the embedded default: SQLite, a filesystem Celery
broker and local media, all under var/. See README "Running at scale".
"""

from pathlib import Path

from config.env import env, env_bool, env_choice, secret_key_from

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("MODELYARD_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = secret_key_from(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    # The domains, each on the ones above it in this list (see docs/architecture.md).
    "registry",
    "data",
    "jobs",
    "evaluation",
    "comparison",
    "serving",
    "pipelines",
    "tracking",
    "worker",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'modelyard.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker write at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files ----------------------------------------------------------------

STORAGE_BACKEND = env_choice("STORAGE_BACKEND", ("local", "s3"), default="local")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]

if STORAGE_BACKEND == "s3":
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_LOCATION = env.str("AWS_LOCATION", default="")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }

STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Uploads: limits on what a user may send.
MAX_IMAGE_BYTES = env.int("MAX_IMAGE_BYTES", default=20 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=50_000_000)
MAX_ARCHIVE_BYTES = env.int("MAX_ARCHIVE_BYTES", default=1024 * 1024 * 1024)
MAX_ARTIFACT_BYTES = env.int("MAX_ARTIFACT_BYTES", default=2 * 1024 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=1000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------

BROKER_DIR = Path(env.str("MODELYARD_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")


def filesystem_broker_options(folder: Path) -> dict:
    """kombu's filesystem transport: a broker that needs no server, for one machine."""
    for sub in ("queue", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        # kombu looks for new messages once a second by default: a one-image prediction
        # then waited a second on it. Listing a folder ten times a second costs nothing.
        "polling_interval": 0.1,
    }


CELERY_BROKER_TRANSPORT_OPTIONS = (
    filesystem_broker_options(BROKER_DIR) if CELERY_BROKER_URL.startswith("filesystem") else {}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=6 * 3600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 3600 + 300)
CELERY_TASK_DEFAULT_QUEUE = "default"
# A running job writes a heartbeat this often; one silent for longer than the bound is
# failed by the reaper, which celery beat runs (`worker --beat` in the Procfile).
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=5)
JOB_STALE_AFTER_SECONDS = env.int("JOB_STALE_AFTER_SECONDS", default=60)
# Serving deployed models: models kept loaded per inference worker process, and the
# bounds of a synchronous one-image prediction.
INFERENCE_CACHE_SIZE = env.int("INFERENCE_CACHE_SIZE", default=4)
# A deployment no inference worker has picked up by then fails, saying so.
DEPLOY_START_TIMEOUT_SECONDS = env.int("DEPLOY_START_TIMEOUT_SECONDS", default=600)
PREDICT_IMAGE_MAX_BYTES = env.int("PREDICT_IMAGE_MAX_BYTES", default=4 * 1024 * 1024)
PREDICT_IMAGE_MAX_PIXELS = env.int("PREDICT_IMAGE_MAX_PIXELS", default=4_000_000)
PREDICT_TIMEOUT_SECONDS = env.float("PREDICT_TIMEOUT_SECONDS", default=30.0)
# Training data streams from storage; a remote store's files are cached on the worker's
# disk up to this many MB (the least recently used go first).
WORKER_CACHE_DIR = Path(env.str("WORKER_CACHE_DIR", default=str(VAR_DIR / "cache")))
WORKER_CACHE_MB = env.int("WORKER_CACHE_MB", default=2048)
# Libraries a worker process imports when it starts, so no job pays for them (empty: none).
WORKER_PRELOAD = env.list(
    "WORKER_PRELOAD",
    default=["sklearn.metrics", "torch", "torchvision"],
)
# Each worker says which queues it consumes this often; three missed beats count it out.
WORKER_PRESENCE_SECONDS = env.float("WORKER_PRESENCE_SECONDS", default=10.0)
# A training keeps its newest checkpoints (0: every epoch's), to resume from.
CHECKPOINTS_KEPT = env.int("CHECKPOINTS_KEPT", default=3)
CELERY_BEAT_SCHEDULE = {
    "reap-stale-jobs": {
        "task": "registry.reap_stale_jobs",  # core.tasks.REAP_STALE_JOBS
        "schedule": env.float("JOB_REAPER_INTERVAL_SECONDS", default=15.0),
    },
    # Pipelines that run every N newly annotated items look at their counts this often.
    "pipelines-check-triggers": {
        "task": "registry.pipelines_check_triggers",
        "schedule": env.float("PIPELINE_TRIGGER_INTERVAL_SECONDS", default=30.0),
    },
}
# Beat keeps its schedule in the database: the entries above, and one cron entry per
# scheduled pipeline (pipelines/services/schedules.py), survive restarts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# --- Auth, API ------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:project_list"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Modelyard API",
    "DESCRIPTION": "Model registry, jobs, evaluations and comparisons.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Behind TLS in production: SECURE_COOKIES=true marks session and CSRF cookies https-only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)

WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)

# --- Misc -----------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
