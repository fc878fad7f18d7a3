"""Who may open each model-version and artifact page: every role, an outsider, anonymous."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import ModelVersion
from tests.factories import ArtifactFactory, ModelVersionFactory, PackageFactory

ROLES = ["owner", "developer", "annotator", "viewer"]


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    role: str  # the lowest role allowed
    scope: str  # what the url names: "project", "model" or "artifact"

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


PAGES = [
    Page("model_list", "get", "viewer", "project"),
    Page("model_create", "get", "developer", "project"),
    Page("model_create", "post", "developer", "project"),
    Page("model_detail", "get", "viewer", "model"),
    Page("model_edit", "get", "developer", "model"),
    Page("model_edit", "post", "developer", "model"),
    Page("model_clone", "get", "developer", "model"),
    Page("model_clone", "post", "developer", "model"),
    Page("model_delete", "get", "developer", "model"),
    Page("model_delete", "post", "developer", "model"),
    Page("artifact_upload", "post", "developer", "model"),
    Page("artifact_download", "get", "viewer", "artifact"),
    Page("artifact_delete", "post", "developer", "artifact"),
]
OBJECT_PAGES = [page for page in PAGES if page.scope != "project"]


@pytest.fixture
def world(cast) -> SimpleNamespace:
    package = PackageFactory()
    model = ModelVersionFactory(project=cast.project, package=package, name="acme-model")
    other_model = ModelVersionFactory(project=cast.other_project, package=package, name="theirs")
    return SimpleNamespace(
        package=package,
        model=model,
        artifact=ArtifactFactory(model=model),
        other_model=other_model,
        other_artifact=ArtifactFactory(model=other_model),
    )


def url_of(page: Page, project, model, artifact) -> str:
    args = {"project": [project.id], "model": [project.id, model.id]}
    args["artifact"] = [project.id, model.id, artifact.id]
    return reverse(f"registry:{page.name}", args=args[page.scope])


def data_for(page: Page, world) -> dict:
    if page.name == "model_create":
        return {"package": world.package.id, "name": "new", **_subsets()}
    if page.name == "model_edit":
        return {"name": "renamed", **_subsets()}
    if page.name == "model_clone":
        return {"name": "a clone"}
    if page.name == "artifact_upload":
        return {"file": SimpleUploadedFile("w.bin", b"123")}
    return {}


def _subsets() -> dict:
    return {"train_subset": "train", "validation_subset": "validation", "test_subset": "test"}


def request(client, page: Page, url: str, world):
    if page.method == "post":
        return client.post(url, data_for(page, world))
    return client.get(url)


@pytest.mark.parametrize("page", PAGES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_is_allowed_and_403_otherwise(client, cast, world, page, role):
    client.force_login(cast.user(role))
    url = url_of(page, cast.project, world.model, world.artifact)
    response = request(client, page, url, world)
    allowed = ROLES.index(role) <= ROLES.index(page.role)
    if not allowed:
        assert response.status_code == 403
    elif page.method == "post":
        assert response.status_code == 302
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_an_outsider_gets_404_on_every_page_of_the_project(client, cast, world, page):
    client.force_login(cast.outsider)
    url = url_of(page, cast.project, world.model, world.artifact)
    assert request(client, page, url, world).status_code == 404


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_anonymous_users_are_sent_to_login(client, cast, world, page):
    url = url_of(page, cast.project, world.model, world.artifact)
    response = request(client, page, url, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", OBJECT_PAGES, ids=str)
def test_another_projects_model_is_404_through_the_acme_url(client, cast, world, page):
    client.force_login(cast.owner)
    url = url_of(page, cast.project, world.other_model, world.other_artifact)
    assert request(client, page, url, world).status_code == 404


@pytest.mark.parametrize("page", OBJECT_PAGES, ids=str)
def test_another_projects_model_is_404_through_its_own_url(client, cast, world, page):
    client.force_login(cast.owner)
    url = url_of(page, cast.other_project, world.other_model, world.other_artifact)
    assert request(client, page, url, world).status_code == 404


@pytest.mark.parametrize("page", [p for p in PAGES if p.scope == "artifact"], ids=str)
def test_another_models_artifact_is_404_through_this_models_url(client, cast, world, page):
    client.force_login(cast.owner)
    url = url_of(page, cast.project, world.model, world.other_artifact)
    assert request(client, page, url, world).status_code == 404


def test_nothing_of_another_project_changes_when_it_is_addressed(client, cast, world):
    client.force_login(cast.owner)
    url = reverse("registry:model_delete", args=[cast.project.id, world.other_model.id])
    client.post(url)
    assert ModelVersion.objects.filter(pk=world.other_model.pk).exists()
