import pytest
from django.core.files.storage import default_storage

from registry.models import Dataset, Item, ModelVersion, Project
from tests.factories import ArtifactFactory, ItemFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_says_what_goes_with_the_project(client, cast):
    ItemFactory(dataset__project=cast.project)
    ModelVersionFactory(project=cast.project)
    client.force_login(cast.owner)

    response = client.get(f"/projects/{cast.project.id}/delete/")

    assert b"1 dataset with" in response.content
    assert b"1 model version with" in response.content


def test_deleting_removes_rows_and_stored_files(client, cast):
    item = ItemFactory(dataset__project=cast.project)
    artifact = ArtifactFactory(model__project=cast.project)
    client.force_login(cast.owner)

    response = client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "Acme"})

    assert response.status_code == 302
    assert not Project.objects.filter(pk=cast.project.pk).exists()
    assert Dataset.objects.count() == Item.objects.count() == 0
    assert not ModelVersion.objects.filter(project_id=cast.project.pk).exists()
    assert not default_storage.exists(item.file.name)
    assert not default_storage.exists(artifact.file.name)


def test_it_keeps_the_project_when_the_typed_name_is_wrong(client, cast):
    client.force_login(cast.owner)

    client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "acme"})

    assert Project.objects.filter(pk=cast.project.pk).exists()


def test_a_developer_cannot_delete_the_project(client, cast):
    client.force_login(cast.developer)

    response = client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "Acme"})

    assert response.status_code == 403
    assert Project.objects.filter(pk=cast.project.pk).exists()
