import pytest
from django.urls import reverse

from registry.models import Package
from tests.factories import PackageFactory


@pytest.fixture
def url(cast) -> str:
    return reverse("registry:package_create", args=[cast.project.id])


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def form_data(**overrides) -> dict:
    data = {
        "name": "parts-detector",
        "description": "Finds bolts and nuts.",
        "output_type": "box",
        "adapter": "parts.adapter:PartsDetector",
        "default_configuration": '{"epochs": 5, "anchors": {"sizes": [8, 16]}}',
    }
    return {**data, **overrides}


def test_it_creates_a_project_package(dev, cast, url):
    response = dev.post(url, form_data())
    package = Package.objects.get(name="parts-detector")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registry:package_detail", args=[cast.project.id, package.id]
    )
    assert package.project == cast.project
    assert package.output_type == "box"
    assert package.adapter == "parts.adapter:PartsDetector"
    assert package.default_configuration == {"epochs": 5, "anchors": {"sizes": [8, 16]}}
    assert package.created_by == cast.developer


def test_an_empty_default_configuration_is_an_empty_object(dev, url):
    dev.post(url, form_data(default_configuration=""))
    assert Package.objects.get(name="parts-detector").default_configuration == {}


def test_invalid_json_is_a_clear_form_error(dev, url):
    response = dev.post(url, form_data(default_configuration='{"epochs": }'))
    assert response.status_code == 400
    error = response.context["form"].errors["default_configuration"][0]
    assert error.startswith("This is not valid JSON: Expecting value (line 1, column 12)")
    assert not Package.objects.exists()


def test_json_that_is_not_an_object_is_a_form_error(dev, url):
    response = dev.post(url, form_data(default_configuration='"epochs"'))
    assert response.status_code == 400
    assert "must be a JSON object" in response.context["form"].errors["default_configuration"][0]
    assert not Package.objects.exists()


def test_a_duplicate_name_in_the_project_is_a_form_error(dev, cast, url):
    PackageFactory(project=cast.project, name="parts-detector")
    response = dev.post(url, form_data())
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Package.objects.count() == 1


def test_an_adapter_not_written_module_colon_class_is_a_form_error(dev, url):
    response = dev.post(url, form_data(adapter="parts/adapter.py"))
    assert response.status_code == 400
    assert "module.path:ClassName" in response.context["form"].errors["adapter"][0]
    assert not Package.objects.exists()


def test_user_supplied_text_is_escaped_on_the_new_package(dev, cast, url):
    dev.post(url, form_data(name="<script>alert(1)</script>", description="<b>bold</b>"))
    package = Package.objects.get()
    html = dev.get(reverse("registry:package_detail", args=[cast.project.id, package.id]))
    assert "<script>alert(1)</script>" not in html.content.decode()
    assert "<b>bold</b>" not in html.content.decode()
