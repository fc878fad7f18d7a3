import pytest
from django.urls import reverse

from tests.factories import ModelVersionFactory, PackageFactory


@pytest.fixture
def url(cast) -> str:
    return reverse("registry:package_list", args=[cast.project.id])


def test_it_lists_public_packages_and_the_projects_own_but_not_others(client, cast, url):
    PackageFactory(name="digits-mlp", adapter="worker.adapters.digits:DigitsMLP")
    PackageFactory(project=cast.project, name="our-detector", output_type="box")
    PackageFactory(project=cast.other_project, name="their-secret")
    client.force_login(cast.viewer)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "digits-mlp" in html
    assert "<code>worker.adapters.digits:DigitsMLP</code>" in html
    assert "our-detector" in html
    assert "Image → Boxes" in html
    assert "Image → Class label" in html
    assert ">public</span>" in html
    assert ">project</span>" in html
    assert "their-secret" not in html


def test_it_counts_only_this_projects_versions_of_each_package(client, cast, url):
    package = PackageFactory()
    ModelVersionFactory.create_batch(2, project=cast.project, package=package)
    ModelVersionFactory(project=cast.other_project, package=package)
    client.force_login(cast.viewer)
    html = client.get(url).content.decode()
    assert f'?package={package.id}">2</a>' in html


def test_developers_are_offered_a_new_package_and_viewers_are_not(client, cast, url):
    create = reverse("registry:package_create", args=[cast.project.id])
    client.force_login(cast.developer)
    assert create in client.get(url).content.decode()
    client.force_login(cast.viewer)
    assert create not in client.get(url).content.decode()


def test_with_no_package_it_says_so(client, cast, url):
    client.force_login(cast.developer)
    assert "No packages yet." in client.get(url).content.decode()


def test_a_package_name_with_html_is_escaped(client, cast, url):
    PackageFactory(project=cast.project, name="<script>alert(1)</script>")
    client.force_login(cast.viewer)
    html = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
