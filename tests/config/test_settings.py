"""Settings come from the environment, and a bad value stops the start with its name."""

import subprocess
import sys

import pytest


def start_django(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MODELYARD_VAR_DIR": str(tmp_path),
        **variables,
    }
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_with_nothing_set_it_starts_and_generates_a_secret_key_into_var(tmp_path):
    result = start_django(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_generated_secret_key_is_kept_across_starts(tmp_path):
    start_django(tmp_path)
    first = (tmp_path / "secret_key").read_text()

    start_django(tmp_path)

    assert (tmp_path / "secret_key").read_text() == first


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("STORAGE_BACKEND", "ftp", "STORAGE_BACKEND='ftp' is not one of local, s3"),
        ("DEBUG", "maybe", "DEBUG='maybe' is not a yes/no value"),
        ("MAX_IMAGE_BYTES", "lots", "MAX_IMAGE_BYTES"),
    ],
)
def test_a_bad_value_fails_loudly_naming_the_variable(tmp_path, variable, value, message):
    result = start_django(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_an_s3_backend_without_a_bucket_fails_loudly(tmp_path):
    result = start_django(tmp_path, STORAGE_BACKEND="s3")

    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr
