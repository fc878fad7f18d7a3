"""The OpenAPI schema and the Swagger UI, served from our own static files."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


def test_the_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/models/{id}/clone/", "/api/v1/auth/token/", "/api/v1/items/{id}/file/"):
        assert f"  {path}:" in text


@pytest.mark.django_db
def test_the_schema_is_served_at_api_schema():
    response = Client().get(reverse("api_schema"))
    assert response.status_code == 200
    assert b"openapi:" in response.content
    assert reverse("api_schema") == "/api/schema/"


@pytest.mark.django_db
def test_the_swagger_ui_loads_its_assets_from_our_own_static_files():
    client = Client()
    page = client.get(reverse("api_docs")).content.decode()
    assert reverse("api_docs") == "/api/docs/"
    bundle = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', page).group(1)
    assert bundle.startswith("/static/drf_spectacular_sidecar/")
    assert client.get(bundle).status_code == 200
