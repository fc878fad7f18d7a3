"""/api/v1/packages: public built-in packages (read-only) and each project's own."""

from registry.models import Package
from tests.errors import error_of
from tests.factories import ModelVersionFactory, PackageFactory

BODY = {
    "name": "resnet",
    "output_type": "class",
    "adapter": "examples.resnet:ResNetAdapter",
    "default_configuration": {"epochs": 5, "optimizer": {"lr": 0.1}},
}


def test_it_lists_public_packages_and_the_callers_projects_own(cast, api_as, public_package):
    PackageFactory(project=cast.project, name="ours")
    PackageFactory(project=cast.other_project, name="theirs")
    response = api_as(cast.viewer).get("/api/v1/packages")
    rows = response.json()["results"]
    assert [(row["name"], row["public"]) for row in rows] == [
        ("digits-mlp", True),
        ("ours", False),
    ]


def test_the_project_filter_keeps_public_packages(cast, api_as, public_package):
    PackageFactory(project=cast.project, name="ours")
    PackageFactory(project=cast.other_project, name="theirs")
    response = api_as(cast.outsider).get(f"/api/v1/packages?project={cast.other_project.id}")
    assert [row["name"] for row in response.json()["results"]] == ["digits-mlp", "theirs"]


def test_it_filters_packages_by_name(cast, api_as, public_package):
    PackageFactory(project=cast.project, name="ours")
    response = api_as(cast.viewer).get("/api/v1/packages?name=ours")
    assert [row["name"] for row in response.json()["results"]] == ["ours"]


def test_a_developer_creates_a_project_package(cast, api_as):
    body = {**BODY, "project": cast.project.id}
    response = api_as(cast.developer).post("/api/v1/packages", body, format="json")
    assert response.status_code == 201
    assert response.json()["default_configuration"] == BODY["default_configuration"]
    package = Package.objects.get(name="resnet")
    assert (package.project, package.created_by) == (cast.project, cast.developer)


def test_it_names_the_field_of_a_bad_adapter_path(cast, api_as):
    body = {**BODY, "project": cast.project.id, "adapter": "not a path"}
    response = api_as(cast.developer).post("/api/v1/packages", body, format="json")
    assert response.status_code == 400
    assert "adapter" in error_of(response)["fields"]


def test_an_adapter_may_be_the_name_of_an_entry_point(cast, api_as):
    body = {**BODY, "project": cast.project.id, "adapter": "nearest-centroid"}
    response = api_as(cast.developer).post("/api/v1/packages", body, format="json")
    assert response.status_code == 201
    assert Package.objects.get(pk=response.json()["id"]).adapter == "nearest-centroid"


def test_it_names_the_field_of_a_configuration_that_is_not_an_object(cast, api_as):
    body = {**BODY, "project": cast.project.id, "default_configuration": [1, 2]}
    response = api_as(cast.developer).post("/api/v1/packages", body, format="json")
    assert response.status_code == 400
    assert "default_configuration" in error_of(response)["fields"]


def test_an_annotator_cannot_create_a_package(cast, api_as):
    body = {**BODY, "project": cast.project.id}
    response = api_as(cast.annotator).post("/api/v1/packages", body, format="json")
    assert response.status_code == 403
    assert not Package.objects.exists()


def test_public_packages_are_read_only_even_for_owners(cast, api_as, public_package):
    url = f"/api/v1/packages/{public_package.id}"
    response = api_as(cast.owner).patch(url, {"description": "mine"}, format="json")
    assert response.status_code == 403
    assert api_as(cast.owner).delete(url).status_code == 403
    assert Package.objects.filter(pk=public_package.pk).exists()


def test_a_developer_edits_a_project_package(cast, api_as):
    package = PackageFactory(project=cast.project, name="ours")
    url = f"/api/v1/packages/{package.id}"
    response = api_as(cast.developer).patch(url, {"description": "v2"}, format="json")
    assert response.status_code == 200
    package.refresh_from_db()
    assert package.description == "v2"


def test_another_projects_package_answers_404(cast, api_as):
    package = PackageFactory(project=cast.other_project)
    assert api_as(cast.owner).get(f"/api/v1/packages/{package.id}").status_code == 404


def test_a_package_in_use_cannot_be_deleted(cast, api_as):
    package = PackageFactory(project=cast.project)
    ModelVersionFactory(project=cast.project, package=package)
    response = api_as(cast.developer).delete(f"/api/v1/packages/{package.id}")
    assert response.status_code == 400
    assert "package" in error_of(response)["fields"]
    assert Package.objects.filter(pk=package.pk).exists()


def test_a_developer_deletes_an_unused_package(cast, api_as):
    package = PackageFactory(project=cast.project)
    assert api_as(cast.developer).delete(f"/api/v1/packages/{package.id}").status_code == 204
    assert not Package.objects.filter(pk=package.pk).exists()
