import hashlib
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Artifact
from tests.factories import ModelVersionFactory

WEIGHTS = os.urandom(200_000)


@pytest.fixture
def model(cast):
    return ModelVersionFactory(project=cast.project, name="exp-1")


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def upload_url(project, model) -> str:
    return reverse("registry:artifact_upload", args=[project.id, model.id])


def upload(client, project, model, data: bytes = WEIGHTS, filename: str = "weights.pt", **extra):
    file = SimpleUploadedFile(filename, data, content_type="application/octet-stream")
    return client.post(upload_url(project, model), {"file": file, **extra}, follow=True)


def test_an_uploaded_artifact_downloads_as_the_same_bytes_and_shows_size_and_sha256(
    dev, cast, model
):
    response = upload(dev, cast.project, model)
    artifact = Artifact.objects.get(model=model)
    sha256 = hashlib.sha256(WEIGHTS).hexdigest()
    assert artifact.name == "weights.pt"
    assert artifact.size == len(WEIGHTS)
    assert artifact.sha256 == sha256
    assert default_storage.exists(artifact.file.name)
    html = response.content.decode()
    assert "Artifact weights.pt uploaded." in html
    assert "195.3 KB" in html
    assert f'title="{sha256}"' in html
    download = reverse("registry:artifact_download", args=[cast.project.id, model.id, artifact.id])
    fetched = dev.get(download)
    assert b"".join(fetched.streaming_content) == WEIGHTS


def test_an_artifact_can_be_given_another_name(dev, cast, model):
    upload(dev, cast.project, model, filename="w.bin", name="best.ckpt")
    assert Artifact.objects.get(model=model).name == "best.ckpt"


def test_a_second_artifact_with_the_same_name_is_refused_unless_replacing(dev, cast, model):
    upload(dev, cast.project, model, data=b"first")
    refused = upload(dev, cast.project, model, data=b"second")
    assert "already has an artifact named" in refused.content.decode()
    assert Artifact.objects.get(model=model).size == len(b"first")
    upload(dev, cast.project, model, data=b"second!", replace="on")
    assert Artifact.objects.get(model=model).size == len(b"second!")


def test_a_file_name_with_a_path_is_refused(dev, cast, model):
    response = upload(dev, cast.project, model, name="../../etc/passwd")
    assert "is not a plain file name" in response.content.decode()
    assert not Artifact.objects.exists()


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(dev, cast, model, settings):
    settings.MAX_ARTIFACT_BYTES = 1000
    response = upload(dev, cast.project, model, data=b"x" * 1001)
    assert "Artifacts are limited to" in response.content.decode()
    assert not Artifact.objects.exists()


def test_posting_without_a_file_says_so(dev, cast, model):
    response = dev.post(upload_url(cast.project, model), {}, follow=True)
    assert "This field is required." in response.content.decode()
    assert not Artifact.objects.exists()


def test_it_answers_only_to_post(dev, cast, model):
    assert dev.get(upload_url(cast.project, model)).status_code == 405


def test_nothing_can_be_uploaded_to_a_public_model(dev, cast):
    public = ModelVersionFactory(project=None)
    file = SimpleUploadedFile("w.bin", b"123")
    response = dev.post(upload_url(cast.project, public), {"file": file})
    assert response.status_code == 404
    assert not Artifact.objects.exists()
