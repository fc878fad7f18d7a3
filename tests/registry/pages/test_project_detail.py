import pytest

from tests.factories import DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_projects_datasets_models_and_members(client, cast):
    DatasetFactory(project=cast.project, name="parts")
    ModelVersionFactory(project=cast.project, name="resnet v1")
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/")

    assert response.status_code == 200
    for text in (b"parts", b"resnet v1", b"annotator", b"developer"):
        assert text in response.content


def test_it_answers_404_to_a_user_outside_the_project(client, cast):
    client.force_login(cast.outsider)

    response = client.get(f"/projects/{cast.project.id}/")

    assert response.status_code == 404


def test_it_shows_edit_and_delete_only_to_owners(client, cast):
    client.force_login(cast.developer)
    assert b"/edit/" not in client.get(f"/projects/{cast.project.id}/").content

    client.force_login(cast.owner)
    assert (
        f"/projects/{cast.project.id}/edit/".encode()
        in client.get(f"/projects/{cast.project.id}/").content
    )
