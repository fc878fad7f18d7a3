import pytest
from django.urls import reverse

from registry.models import Package
from tests.factories import PackageFactory


@pytest.fixture
def package(cast):
    return PackageFactory(project=cast.project, name="ours", default_configuration={"epochs": 3})


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def edit_url(project, package) -> str:
    return reverse("registry:package_edit", args=[project.id, package.id])


def form_data(**overrides) -> dict:
    data = {
        "name": "ours-v2",
        "description": "now described",
        "output_type": "box",
        "adapter": "pkg.mod:Adapter",
        "default_configuration": '{"epochs": 30}',
    }
    return {**data, **overrides}


def test_the_form_is_filled_with_the_package(dev, cast, package):
    html = dev.get(edit_url(cast.project, package)).content.decode()
    assert 'value="ours"' in html
    assert "&quot;epochs&quot;: 3" in html


def test_it_saves_the_package(dev, cast, package):
    response = dev.post(edit_url(cast.project, package), form_data())
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.name == "ours-v2"
    assert package.description == "now described"
    assert package.output_type == "box"
    assert package.adapter == "pkg.mod:Adapter"
    assert package.default_configuration == {"epochs": 30}


def test_invalid_json_leaves_the_package_unchanged(dev, cast, package):
    response = dev.post(edit_url(cast.project, package), form_data(default_configuration="{"))
    assert response.status_code == 400
    assert "not valid JSON" in response.context["form"].errors["default_configuration"][0]
    package.refresh_from_db()
    assert package.name == "ours"


def test_a_name_taken_in_the_project_is_a_form_error(dev, cast, package):
    PackageFactory(project=cast.project, name="taken")
    response = dev.post(edit_url(cast.project, package), form_data(name="taken"))
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]


def test_a_public_package_is_read_only(dev, cast):
    public = PackageFactory(name="built-in")
    assert dev.get(edit_url(cast.project, public)).status_code == 403
    assert dev.post(edit_url(cast.project, public), form_data()).status_code == 403
    assert Package.objects.get(pk=public.pk).name == "built-in"
