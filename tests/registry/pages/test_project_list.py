import pytest

from registry.models import Membership, Project, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_projects_the_user_belongs_to(client, cast):
    client.force_login(cast.viewer)

    response = client.get("/projects/")

    assert response.status_code == 200
    assert b"Acme" in response.content
    assert b"Other" not in response.content


def test_it_creates_a_project_and_makes_the_creator_its_owner(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/projects/", {"name": "Parts", "description": "bolts and nuts"})

    project = Project.objects.get(name="Parts")
    assert response.status_code == 302
    assert response.url == f"/projects/{project.id}/"
    assert Membership.objects.get(project=project, user=user).role == Role.OWNER


def test_it_rejects_a_duplicate_project_name_with_a_form_error(client, cast):
    client.force_login(cast.viewer)

    response = client.post("/projects/", {"name": "acme"})

    assert response.status_code == 400
    assert b"already exists" in response.content
    assert Project.objects.filter(name__iexact="acme").count() == 1


def test_it_shows_an_empty_state_to_a_user_without_projects(client):
    client.force_login(UserFactory())

    response = client.get("/projects/")

    assert b"not in any project yet" in response.content


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/projects/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_it_escapes_a_project_name_with_markup(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/projects/", {"name": "<script>alert(1)</script>"})

    response = client.get("/projects/")

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_the_list_makes_the_same_number_of_queries_for_many_projects(
    client, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    user = UserFactory()
    client.force_login(user)
    MembershipFactory(user=user, role=Role.OWNER)
    with django_assert_max_num_queries(10) as few:
        client.get("/projects/")
    for _ in range(20):
        MembershipFactory(user=user, role=Role.VIEWER)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/projects/")
