import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from registry.models import Artifact
from registry.services.artifacts import artifact_copy
from tests.factories import ArtifactFactory, ModelVersionFactory


@pytest.fixture
def artifact(cast):
    return ArtifactFactory(model=ModelVersionFactory(project=cast.project), name="weights.pt")


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def delete_url(project, artifact) -> str:
    return reverse("registry:artifact_delete", args=[project.id, artifact.model.id, artifact.id])


def test_it_deletes_the_row_and_the_stored_file(
    dev, cast, artifact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = dev.post(delete_url(cast.project, artifact))
    detail = reverse("registry:model_detail", args=[cast.project.id, artifact.model.id])
    assert response.status_code == 302
    assert response["Location"] == f"{detail}#artifacts"
    assert not Artifact.objects.filter(pk=artifact.pk).exists()
    assert not default_storage.exists(artifact.file.name)


def test_a_file_shared_with_a_clone_stays_for_the_clone(
    dev, cast, artifact, django_capture_on_commit_callbacks
):
    clone = ModelVersionFactory(project=cast.project, parent=artifact.model)
    copy = artifact_copy(artifact=artifact, model=clone, user=cast.developer)
    with django_capture_on_commit_callbacks(execute=True):
        dev.post(delete_url(cast.project, artifact))
    assert default_storage.exists(copy.file.name)


def test_it_answers_only_to_post(dev, cast, artifact):
    assert dev.get(delete_url(cast.project, artifact)).status_code == 405
    assert Artifact.objects.filter(pk=artifact.pk).exists()


def test_an_artifact_of_a_public_model_cannot_be_deleted_from_a_project(dev, cast):
    public = ArtifactFactory(model=ModelVersionFactory(project=None))
    assert dev.post(delete_url(cast.project, public)).status_code == 404
    assert Artifact.objects.filter(pk=public.pk).exists()
