"""Who may open and post each project, member and token page."""

import pytest

from registry.models import Membership

pytestmark = pytest.mark.django_db

ROLES = ["owner", "developer", "annotator", "viewer"]

# (method, url template, data, the lowest role that may do it)
PAGES = [
    ("get", "/projects/{p}/", {}, "viewer"),
    ("get", "/projects/{p}/members/", {}, "viewer"),
    ("post", "/projects/{p}/members/", {"username": "newcomer", "role": "viewer"}, "owner"),
    ("post", "/projects/{p}/members/{m}/role/", {"role": "annotator"}, "owner"),
    ("post", "/projects/{p}/members/{m}/remove/", {}, "owner"),
    ("get", "/projects/{p}/edit/", {}, "owner"),
    ("post", "/projects/{p}/edit/", {"name": "Acme 2"}, "owner"),
    ("get", "/projects/{p}/delete/", {}, "owner"),
    ("post", "/projects/{p}/delete/confirm/", {"confirm_name": "wrong"}, "owner"),
]
RANK = {role: i for i, role in enumerate(reversed(ROLES))}


def _url(template: str, cast) -> str:
    viewer_membership = Membership.objects.get(project=cast.project, user=cast.viewer)
    return template.format(p=cast.project.id, m=viewer_membership.id)


@pytest.fixture
def newcomer(db):
    from tests.factories import UserFactory

    return UserFactory(username="newcomer")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "data", "needed"), PAGES)
def test_members_are_allowed_or_refused_by_role(
    client, cast, newcomer, role, method, template, data, needed
):
    client.force_login(cast.user(role))

    response = getattr(client, method)(_url(template, cast), data)

    if RANK[role] >= RANK[needed]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "template", "data", "needed"), PAGES)
def test_outsiders_get_404_for_every_page(client, cast, newcomer, method, template, data, needed):
    client.force_login(cast.outsider)

    response = getattr(client, method)(_url(template, cast), data)

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "template", "data", "needed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, method, template, data, needed):
    response = getattr(client, method)(_url(template, cast), data)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/projects/", "/profile/tokens/"])
def test_anonymous_visitors_are_sent_to_sign_in_from_personal_pages(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
