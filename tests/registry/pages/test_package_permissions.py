"""Who may open each package page: every role, an outsider, anonymous."""

import pytest
from django.urls import reverse

from registry.models import Package
from tests.factories import PackageFactory

ROLES = ["owner", "developer", "annotator", "viewer"]
VALID = {"name": "new", "output_type": "class", "adapter": "a.b:C", "default_configuration": "{}"}

# (url name, method, lowest role allowed, whether the url names a package)
PAGES = [
    ("package_list", "get", "viewer", False),
    ("package_create", "get", "developer", False),
    ("package_create", "post", "developer", False),
    ("package_detail", "get", "viewer", True),
    ("package_edit", "get", "developer", True),
    ("package_edit", "post", "developer", True),
    ("package_delete", "get", "developer", True),
    ("package_delete", "post", "developer", True),
]
PACKAGE_PAGES = [page for page in PAGES if page[3]]


def page_id(page) -> str:
    return f"{page[1]} {page[0]}"


def url_of(page, project, package) -> str:
    name, _method, _role, with_package = page
    args = [project.id, package.id] if with_package else [project.id]
    return reverse(f"registry:{name}", args=args)


def request(client, page, url):
    return client.post(url, VALID) if page[1] == "post" else client.get(url)


@pytest.fixture
def package(cast) -> Package:
    return PackageFactory(project=cast.project, name="ours")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_is_allowed_and_403_otherwise(client, cast, package, page, role):
    client.force_login(cast.user(role))
    response = request(client, page, url_of(page, cast.project, package))
    if ROLES.index(role) > ROLES.index(page[2]):
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if page[1] == "post" else 200)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_an_outsider_gets_404(client, cast, package, page):
    client.force_login(cast.outsider)
    assert request(client, page, url_of(page, cast.project, package)).status_code == 404


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_anonymous_users_are_sent_to_login(client, cast, package, page):
    response = request(client, page, url_of(page, cast.project, package))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PACKAGE_PAGES, ids=page_id)
def test_another_projects_package_is_404_through_either_url(client, cast, page):
    theirs = PackageFactory(project=cast.other_project, name="theirs")
    client.force_login(cast.owner)
    assert request(client, page, url_of(page, cast.project, theirs)).status_code == 404
    assert request(client, page, url_of(page, cast.other_project, theirs)).status_code == 404
    assert Package.objects.get(pk=theirs.pk).name == "theirs"
