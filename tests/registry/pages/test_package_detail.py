import pytest
from django.urls import reverse

from tests.factories import ModelVersionFactory, PackageFactory


def detail_url(project, package) -> str:
    return reverse("registry:package_detail", args=[project.id, package.id])


@pytest.fixture
def public():
    return PackageFactory(
        name="digits-mlp",
        description="A small MLP for digits.",
        adapter="worker.adapters.digits_mlp:DigitsMLPAdapter",
        default_configuration={"epochs": 10, "optimizer": {"name": "adam", "lr": 0.001}},
    )


def test_it_shows_the_package_with_its_configuration_as_a_table_and_raw_json(client, cast, public):
    client.force_login(cast.viewer)
    response = client.get(detail_url(cast.project, public))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A small MLP for digits." in html
    assert "Image → Class label" in html
    assert "<code>worker.adapters.digits_mlp:DigitsMLPAdapter</code>" in html
    assert "<code>optimizer.lr</code></td><td><code>0.001</code>" in html
    assert "<code>optimizer.name</code></td><td><code>adam</code>" in html
    assert "&quot;epochs&quot;: 10" in html
    assert "Public, built in (read-only)" in html


def test_it_lists_this_projects_versions_using_it_only(client, cast, public):
    ModelVersionFactory(project=cast.project, package=public, name="ours")
    ModelVersionFactory(project=cast.other_project, package=public, name="theirs")
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert "ours" in html
    assert "theirs" not in html


def test_a_developer_can_clone_a_pretrained_version_into_the_project(client, cast, public):
    pretrained = ModelVersionFactory(project=None, package=public, name="pretrained-digits-mlp")
    client.force_login(cast.developer)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert "pretrained-digits-mlp" in html
    assert reverse("registry:model_clone", args=[cast.project.id, pretrained.id]) in html
    assert "Clone into Acme" in html


def test_a_viewer_sees_pretrained_versions_without_a_clone_button(client, cast, public):
    pretrained = ModelVersionFactory(project=None, package=public, name="pretrained-digits-mlp")
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert "pretrained-digits-mlp" in html
    assert reverse("registry:model_clone", args=[cast.project.id, pretrained.id]) not in html


def test_a_public_package_offers_no_edit_or_delete(client, cast, public):
    client.force_login(cast.owner)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert reverse("registry:package_edit", args=[cast.project.id, public.id]) not in html
    assert reverse("registry:package_delete", args=[cast.project.id, public.id]) not in html


def test_a_project_package_offers_edit_and_delete_to_developers(client, cast):
    ours = PackageFactory(project=cast.project)
    client.force_login(cast.developer)
    html = client.get(detail_url(cast.project, ours)).content.decode()
    assert reverse("registry:package_edit", args=[cast.project.id, ours.id]) in html
    assert reverse("registry:package_delete", args=[cast.project.id, ours.id]) in html


def test_a_public_package_is_reachable_from_any_project_of_the_user(client, cast, public):
    client.force_login(cast.outsider)
    assert client.get(detail_url(cast.other_project, public)).status_code == 200


def test_another_projects_package_is_404(client, cast):
    theirs = PackageFactory(project=cast.other_project)
    client.force_login(cast.owner)
    assert client.get(detail_url(cast.project, theirs)).status_code == 404
    assert client.get(detail_url(cast.other_project, theirs)).status_code == 404


def test_the_page_shows_whether_the_workers_can_import_the_adapter(client, cast):
    from tests.factories import PackageFactory

    package = PackageFactory(
        project=cast.project, check_status="failed", check_message="w1: cannot import x"
    )
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/packages/{package.id}/")

    assert b"not importable" in response.content
    assert b"w1: cannot import x" in response.content


def test_a_developer_asks_the_workers_to_check_again(
    client, cast, django_capture_on_commit_callbacks
):
    from tests.factories import PackageFactory

    package = PackageFactory(project=cast.project, check_status="failed")
    client.force_login(cast.developer)

    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/projects/{cast.project.id}/packages/{package.id}/check/")

    package.refresh_from_db()
    assert package.check_status == "unknown"
    assert len(queued) == 1
