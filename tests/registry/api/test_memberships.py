"""/api/v1/memberships: who is in a project. Members read; owners manage."""

from registry.models import Membership, Role
from tests.errors import error_of
from tests.factories import UserFactory


def test_members_read_the_member_list_of_their_project(cast, api_as):
    response = api_as(cast.viewer).get(f"/api/v1/memberships?project={cast.project.id}")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["name"], row["role"]) for row in rows] == [
        ("annotator", "annotator"),
        ("developer", "developer"),
        ("owner", "owner"),
        ("viewer", "viewer"),
    ]


def test_the_list_holds_no_member_of_other_projects(cast, api_as):
    response = api_as(cast.viewer).get("/api/v1/memberships")
    assert "outsider" not in [row["username"] for row in response.json()["results"]]


def test_it_filters_members_by_role(cast, api_as):
    response = api_as(cast.viewer).get("/api/v1/memberships?role=owner")
    assert [row["username"] for row in response.json()["results"]] == ["owner"]


def test_the_owner_adds_a_member_by_username(cast, api_as):
    UserFactory(username="newcomer")
    body = {"project": cast.project.id, "username": "newcomer", "role": "annotator"}
    response = api_as(cast.owner).post("/api/v1/memberships", body, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "newcomer"
    assert Membership.objects.get(user__username="newcomer").role == Role.ANNOTATOR


def test_it_names_the_field_of_an_unknown_username(cast, api_as):
    body = {"project": cast.project.id, "username": "ghost"}
    response = api_as(cast.owner).post("/api/v1/memberships", body, format="json")
    assert response.status_code == 400
    assert "username" in error_of(response)["fields"]


def test_it_names_the_field_of_an_unknown_role(cast, api_as):
    body = {"project": cast.project.id, "username": "outsider", "role": "king"}
    response = api_as(cast.owner).post("/api/v1/memberships", body, format="json")
    assert response.status_code == 400
    assert "role" in error_of(response)["fields"]


def test_a_developer_cannot_add_members(cast, api_as):
    body = {"project": cast.project.id, "username": "outsider"}
    response = api_as(cast.developer).post("/api/v1/memberships", body, format="json")
    assert response.status_code == 403
    assert not Membership.objects.filter(project=cast.project, user=cast.outsider).exists()


def test_adding_to_another_project_answers_404_naming_the_field(cast, api_as):
    body = {"project": cast.other_project.id, "username": "viewer"}
    response = api_as(cast.owner).post("/api/v1/memberships", body, format="json")
    assert response.status_code == 404
    assert "project" in error_of(response)["fields"]


def test_the_owner_changes_a_role(cast, api_as):
    membership = Membership.objects.get(user=cast.viewer)
    url = f"/api/v1/memberships/{membership.id}"
    response = api_as(cast.owner).patch(url, {"role": "developer"}, format="json")
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.DEVELOPER


def test_the_last_owner_cannot_step_down(cast, api_as):
    membership = Membership.objects.get(user=cast.owner)
    url = f"/api/v1/memberships/{membership.id}"
    response = api_as(cast.owner).patch(url, {"role": "viewer"}, format="json")
    assert response.status_code == 400
    assert "role" in error_of(response)["fields"]


def test_the_owner_removes_a_member(cast, api_as):
    membership = Membership.objects.get(user=cast.viewer)
    response = api_as(cast.owner).delete(f"/api/v1/memberships/{membership.id}")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_cannot_be_removed(cast, api_as):
    membership = Membership.objects.get(user=cast.owner)
    response = api_as(cast.owner).delete(f"/api/v1/memberships/{membership.id}")
    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_another_projects_membership_answers_404(cast, api_as):
    membership = Membership.objects.get(user=cast.outsider)
    response = api_as(cast.owner).delete(f"/api/v1/memberships/{membership.id}")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
