import pytest

from registry.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(project) -> str:
    return f"/projects/{project.id}/members/"


def test_every_member_sees_who_is_in_the_project(client, cast):
    client.force_login(cast.viewer)

    response = client.get(url(cast.project))

    assert response.status_code == 200
    for name in (b"owner", b"developer", b"annotator", b"viewer"):
        assert name in response.content
    assert b"Invite a member" not in response.content


def test_an_owner_invites_a_user_by_username_with_a_role(client, cast):
    UserFactory(username="newcomer")
    client.force_login(cast.owner)

    response = client.post(url(cast.project), {"username": "newcomer", "role": "annotator"})

    assert response.status_code == 302
    membership = Membership.objects.get(project=cast.project, user__username="newcomer")
    assert membership.role == Role.ANNOTATOR


def test_inviting_an_unknown_username_shows_a_form_error(client, cast):
    client.force_login(cast.owner)

    response = client.post(url(cast.project), {"username": "ghost", "role": "viewer"})

    assert response.status_code == 400
    assert b"No user named" in response.content


def test_a_developer_cannot_invite(client, cast):
    UserFactory(username="newcomer")
    client.force_login(cast.developer)

    response = client.post(url(cast.project), {"username": "newcomer", "role": "owner"})

    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_an_owner_changes_a_members_role(client, cast):
    membership = Membership.objects.get(project=cast.project, user=cast.viewer)
    client.force_login(cast.owner)

    client.post(f"{url(cast.project)}{membership.id}/role/", {"role": "developer"})

    membership.refresh_from_db()
    assert membership.role == Role.DEVELOPER


def test_the_last_owner_cannot_step_down(client, cast):
    membership = Membership.objects.get(project=cast.project, user=cast.owner)
    client.force_login(cast.owner)

    response = client.post(
        f"{url(cast.project)}{membership.id}/role/", {"role": "viewer"}, follow=True
    )

    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert b"at least one owner" in response.content


def test_an_owner_removes_a_member(client, cast):
    membership = Membership.objects.get(project=cast.project, user=cast.viewer)
    client.force_login(cast.owner)

    client.post(f"{url(cast.project)}{membership.id}/remove/")

    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_project_answers_404(client, cast):
    foreign = Membership.objects.get(project=cast.other_project)
    client.force_login(cast.owner)

    response = client.post(f"{url(cast.project)}{foreign.id}/remove/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()
