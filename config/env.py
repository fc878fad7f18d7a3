"""Settings helpers: read the environment, fail loudly on a bad value."""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def secret_key_from(path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into var/."""
    value = env.str("SECRET_KEY", default="")
    if value:
        return value
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but the usual words stops the start (no silent False)."""
    value = env.str(name, default=str(default)).strip().lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value (true/false, 1/0)")
    return value in TRUE_WORDS
