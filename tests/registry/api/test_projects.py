"""/api/v1/projects: the caller's projects; owners edit and delete them."""

from registry.models import Membership, Project, Role
from tests.errors import error_of
from tests.factories import MembershipFactory, ProjectFactory


def test_it_lists_only_the_callers_projects_with_their_role(cast, api_as):
    response = api_as(cast.annotator).get("/api/v1/projects")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": cast.project.id,
        "name": "Acme",
        "description": "",
        "role": "annotator",
        "created_at": body["results"][0]["created_at"],
    }


def test_it_paginates_projects(cast, api_as):
    for number in range(5):
        MembershipFactory(project=ProjectFactory(name=f"P{number}"), user=cast.viewer)
    response = api_as(cast.viewer).get("/api/v1/projects?page_size=2&page=2")
    body = response.json()
    assert body["count"] == 6
    assert [row["name"] for row in body["results"]] == ["P1", "P2"]


def test_it_filters_projects_by_exact_name(cast, api_as):
    MembershipFactory(project=ProjectFactory(name="Acme labs"), user=cast.viewer)
    response = api_as(cast.viewer).get("/api/v1/projects?name=Acme")
    assert [row["name"] for row in response.json()["results"]] == ["Acme"]


def test_creating_a_project_makes_the_caller_its_owner(cast, api_as):
    response = api_as(cast.viewer).post(
        "/api/v1/projects", {"name": "Vision", "description": "cats"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    project = Project.objects.get(name="Vision")
    assert Membership.objects.get(project=project).user == cast.viewer


def test_it_names_the_field_of_a_taken_project_name(cast, api_as):
    response = api_as(cast.viewer).post("/api/v1/projects", {"name": "acme"}, format="json")
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]


def test_it_names_a_missing_project_name(cast, api_as):
    response = api_as(cast.viewer).post("/api/v1/projects", {}, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"name": "This field is required."}


def test_the_owner_renames_the_project(cast, api_as):
    url = f"/api/v1/projects/{cast.project.id}"
    response = api_as(cast.owner).patch(url, {"name": "Acme 2"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Acme 2"
    cast.project.refresh_from_db()
    assert cast.project.name == "Acme 2"


def test_a_developer_cannot_edit_the_project(cast, api_as):
    url = f"/api/v1/projects/{cast.project.id}"
    response = api_as(cast.developer).patch(url, {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    cast.project.refresh_from_db()
    assert cast.project.name == "Acme"


def test_another_projects_row_answers_404(cast, api_as):
    response = api_as(cast.owner).get(f"/api/v1/projects/{cast.other_project.id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_owner_deletes_the_project(cast, api_as):
    response = api_as(cast.owner).delete(f"/api/v1/projects/{cast.project.id}")
    assert response.status_code == 204
    assert not Project.objects.filter(pk=cast.project.pk).exists()


def test_a_viewer_cannot_delete_the_project(cast, api_as):
    response = api_as(cast.viewer).delete(f"/api/v1/projects/{cast.project.id}")
    assert response.status_code == 403
    assert Project.objects.filter(pk=cast.project.pk).exists()


def test_anonymous_callers_cannot_list_projects(db, api_client):
    assert api_client.get("/api/v1/projects").status_code == 401


def test_the_project_list_does_not_grow_in_queries(cast, api_as, django_assert_max_num_queries):
    client = api_as(cast.viewer)
    with django_assert_max_num_queries(3):
        client.get("/api/v1/projects")
    for _ in range(20):
        MembershipFactory(project=ProjectFactory(), user=cast.viewer, role=Role.OWNER)
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/projects").json()["count"] == 21
