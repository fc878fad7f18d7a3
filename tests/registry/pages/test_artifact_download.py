import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import ArtifactFactory, ModelVersionFactory


def download_url(project, artifact) -> str:
    return reverse("registry:artifact_download", args=[project.id, artifact.model.id, artifact.id])


@pytest.fixture
def artifact(cast):
    model = ModelVersionFactory(project=cast.project)
    return ArtifactFactory(
        model=model,
        name="weights.pt",
        file=ContentFile(b"\x00\x01weights", name="weights.pt"),
        size=9,
    )


@pytest.mark.parametrize("role", ["owner", "developer", "annotator", "viewer"])
def test_every_member_downloads_the_stored_bytes_as_an_attachment(client, cast, artifact, role):
    client.force_login(cast.user(role))
    response = client.get(download_url(cast.project, artifact))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="weights.pt"'
    assert response["Content-Length"] == "9"
    assert b"".join(response.streaming_content) == b"\x00\x01weights"


def test_the_pretrained_weights_of_a_public_model_download_from_any_project(client, cast):
    public = ArtifactFactory(model=ModelVersionFactory(project=None), name="pretrained.pt")
    client.force_login(cast.outsider)
    response = client.get(download_url(cast.other_project, public))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"weights"


def test_an_outsider_gets_404(client, cast, artifact):
    client.force_login(cast.outsider)
    assert client.get(download_url(cast.project, artifact)).status_code == 404


def test_a_missing_artifact_is_404(client, cast, artifact):
    client.force_login(cast.viewer)
    url = reverse("registry:artifact_download", args=[cast.project.id, artifact.model.id, 999999])
    assert client.get(url).status_code == 404
