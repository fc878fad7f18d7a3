import pytest

pytestmark = pytest.mark.django_db


def test_an_owner_renames_the_project(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        f"/projects/{cast.project.id}/edit/", {"name": "Acme Vision", "description": "d"}
    )

    cast.project.refresh_from_db()
    assert response.status_code == 302
    assert cast.project.name == "Acme Vision"


def test_a_developer_cannot_edit_the_project(client, cast):
    client.force_login(cast.developer)

    response = client.post(f"/projects/{cast.project.id}/edit/", {"name": "Mine"})

    cast.project.refresh_from_db()
    assert response.status_code == 403
    assert cast.project.name == "Acme"


def test_it_refuses_a_name_taken_by_another_project(client, cast):
    client.force_login(cast.owner)

    response = client.post(f"/projects/{cast.project.id}/edit/", {"name": "Other"})

    assert response.status_code == 200
    assert b"taken" in response.content
