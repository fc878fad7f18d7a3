"""/api/v1/artifacts: files on model versions, uploaded and downloaded byte for byte."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Artifact
from tests.errors import error_of
from tests.factories import ArtifactFactory

PAYLOAD = bytes(range(256)) * 4000  # ~1 MB, every byte value


def upload(client, model, data: bytes = PAYLOAD, **extra):
    body = {"model": model.id, "file": SimpleUploadedFile("weights.pt", data), **extra}
    return client.post("/api/v1/artifacts", body, format="multipart")


def test_an_artifact_round_trips_with_its_size_and_sha256(cast, api_as, model):
    client = api_as(cast.developer)
    response = upload(client, model)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["size"] == len(PAYLOAD)
    assert body["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert Artifact.objects.get().sha256 == body["sha256"]
    download = api_as(cast.viewer).get(f"/api/v1/artifacts/{body['id']}/download")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="weights.pt"'
    received = b"".join(download.streaming_content)
    assert hashlib.sha256(received).hexdigest() == body["sha256"]
    assert len(received) == body["size"]


def test_an_upload_may_name_the_artifact(cast, api_as, model):
    response = upload(api_as(cast.developer), model, name="best.pt")
    assert response.json()["name"] == "best.pt"


def test_it_names_the_field_of_an_unsafe_file_name(cast, api_as, model):
    response = upload(api_as(cast.developer), model, name="../escape.pt")
    assert response.status_code == 400
    assert "file" in error_of(response)["fields"]
    assert not Artifact.objects.exists()


def test_a_second_artifact_of_the_same_name_is_refused_unless_replacing(cast, api_as, model):
    client = api_as(cast.developer)
    upload(client, model)
    refused = upload(client, model, data=b"new")
    assert refused.status_code == 400
    assert "name" in error_of(refused)["fields"]
    replaced = upload(client, model, data=b"new", replace=True)
    assert replaced.status_code == 201
    assert Artifact.objects.get().size == 3


def test_an_upload_needs_a_file(cast, api_as, model):
    response = api_as(cast.developer).post(
        "/api/v1/artifacts", {"model": model.id}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in error_of(response)["fields"]


def test_an_annotator_cannot_upload_artifacts(cast, api_as, model):
    assert upload(api_as(cast.annotator), model).status_code == 403
    assert not Artifact.objects.exists()


def test_public_models_take_no_artifacts(cast, api_as, public_model):
    assert upload(api_as(cast.owner), public_model).status_code == 403


def test_uploading_to_another_projects_model_answers_404(cast, api_as, other_model):
    response = upload(api_as(cast.owner), other_model)
    assert response.status_code == 404
    assert "model" in error_of(response)["fields"]


def test_it_lists_artifacts_by_model(cast, api_as, model, public_model, other_model):
    mine = ArtifactFactory(model=model)
    public = ArtifactFactory(model=public_model)
    ArtifactFactory(model=other_model)
    client = api_as(cast.viewer)
    everything = client.get("/api/v1/artifacts").json()["results"]
    assert {row["id"] for row in everything} == {mine.id, public.id}
    by_model = client.get(f"/api/v1/artifacts?model={model.id}").json()["results"]
    assert [row["id"] for row in by_model] == [mine.id]


def test_another_projects_artifact_cannot_be_downloaded(cast, api_as, other_model):
    artifact = ArtifactFactory(model=other_model)
    response = api_as(cast.owner).get(f"/api/v1/artifacts/{artifact.id}/download")
    assert response.status_code == 404


def test_anonymous_callers_cannot_download(api_client, model):
    artifact = ArtifactFactory(model=model)
    assert api_client.get(f"/api/v1/artifacts/{artifact.id}/download").status_code == 401


def test_a_developer_deletes_an_artifact(cast, api_as, model):
    artifact = ArtifactFactory(model=model)
    response = api_as(cast.developer).delete(f"/api/v1/artifacts/{artifact.id}")
    assert response.status_code == 204
    assert not Artifact.objects.exists()


def test_a_viewer_cannot_delete_an_artifact(cast, api_as, model):
    artifact = ArtifactFactory(model=model)
    assert api_as(cast.viewer).delete(f"/api/v1/artifacts/{artifact.id}").status_code == 403
