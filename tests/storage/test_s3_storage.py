"""The S3 switch is proven against moto's server: a real HTTP endpoint on loopback."""

import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from registry.services.artifacts import artifact_upload
from tests.factories import ModelVersionFactory, UserFactory
from tests.s3 import BUCKET


@pytest.mark.django_db
def test_an_artifact_is_stored_in_and_read_back_from_the_s3_bucket(s3_storage):
    model = ModelVersionFactory()
    payload = b"\x00weights\x01" * 1000

    artifact = artifact_upload(
        model=model, file=ContentFile(payload, name="weights.bin"), user=UserFactory()
    )

    stored = s3_storage.get_object(Bucket=BUCKET, Key=artifact.file.name)["Body"].read()
    assert stored == payload
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    with artifact.file.open("rb") as handle:
        assert handle.read() == payload
    assert artifact.size == len(payload)


@pytest.mark.django_db
def test_deleting_the_last_reference_removes_the_object_from_the_bucket(
    s3_storage, django_capture_on_commit_callbacks
):
    from registry.services.artifacts import artifact_delete

    artifact = artifact_upload(
        model=ModelVersionFactory(), file=ContentFile(b"abc", name="w.bin"), user=UserFactory()
    )
    key = artifact.file.name

    with django_capture_on_commit_callbacks(execute=True):
        artifact_delete(artifact=artifact)

    listed = s3_storage.list_objects_v2(Bucket=BUCKET, Prefix=key)
    assert listed.get("KeyCount", 0) == 0


def test_storage_backend_s3_in_the_environment_selects_the_s3_storage(moto_endpoint, tmp_path):
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default']; print(type(s).__name__, s.bucket_name)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MODELYARD_VAR_DIR": str(tmp_path),
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["S3Storage", BUCKET], result.stdout + result.stderr
