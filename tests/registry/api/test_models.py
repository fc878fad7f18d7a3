"""/api/v1/models: model versions, filters and ordering, detail with lineage, writes."""

import pytest

from registry.models import ModelStatus, ModelVersion, Role
from registry.services.models import model_set_status, model_set_tags
from tests.errors import error_of
from tests.factories import ArtifactFactory, ModelVersionFactory, PackageFactory


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_it_lists_project_models_and_public_ones(cast, api_as, model, public_model, other_model):
    response = api_as(cast.viewer).get("/api/v1/models?ordering=name")
    assert response.status_code == 200
    assert names(response) == ["first", "pretrained"]
    row = response.json()["results"][0]
    assert (row["package_name"], row["status"], row["public"]) == ("digits-mlp", "created", False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=alpha", ["alpha"]),
        ("search=ALP", ["alpha", "alphabet"]),
        ("status=trained", ["beta"]),
        ("tag=best", ["alphabet"]),
        ("ordering=-name", ["beta", "alphabet", "alpha"]),
        ("ordering=status,name", ["alpha", "alphabet", "beta"]),
    ],
)
def test_it_filters_and_sorts_models(cast, api_as, public_package, query, expected):
    for name in ("alpha", "alphabet", "beta"):
        ModelVersionFactory(project=cast.project, package=public_package, name=name)
    model_set_status(model=ModelVersion.objects.get(name="beta"), status=ModelStatus.TRAINED)
    model_set_tags(model=ModelVersion.objects.get(name="alphabet"), tags=["best"])
    query = f"project={cast.project.id}&{query}"
    if "ordering" not in query:
        query += "&ordering=name"
    assert names(api_as(cast.viewer).get(f"/api/v1/models?{query}")) == expected


def test_it_filters_models_by_package(cast, api_as, model):
    other = ModelVersionFactory(project=cast.project, package=PackageFactory(project=cast.project))
    response = api_as(cast.viewer).get(f"/api/v1/models?package={other.package_id}")
    assert names(response) == [other.name]


def test_an_unknown_ordering_names_the_parameter(cast, api_as, model):
    response = api_as(cast.viewer).get("/api/v1/models?ordering=password")
    assert response.status_code == 400
    assert "ordering" in error_of(response)["fields"]


def test_the_detail_shows_history_lineage_and_artifacts(cast, api_as, model):
    child = ModelVersionFactory(project=cast.project, package=model.package, parent=model)
    model_set_status(model=model, status=ModelStatus.TRAINED, user=cast.developer, reason="done")
    model_set_tags(model=model, tags=["best"])
    artifact = ArtifactFactory(model=model, name="weights.bin")
    response = api_as(cast.viewer).get(f"/api/v1/models/{model.id}")
    body = response.json()
    assert body["children"] == [child.id]
    assert body["tags"] == ["best"]
    assert body["configuration"] == {"learning_rate": 0.001, "epochs": 10}
    assert body["status_history"][-1]["to_status"] == "trained"
    assert body["status_history"][-1]["changed_by"] == "developer"
    assert body["artifacts"] == [
        {"id": artifact.id, "name": "weights.bin", "size": 7, "sha256": artifact.sha256}
    ]


def test_public_models_are_readable_by_everyone_signed_in(cast, api_as, public_model):
    response = api_as(cast.outsider).get(f"/api/v1/models/{public_model.id}")
    assert response.status_code == 200
    assert response.json()["public"] is True


def test_another_projects_model_answers_404(cast, api_as, other_model):
    assert api_as(cast.owner).get(f"/api/v1/models/{other_model.id}").status_code == 404


def test_a_developer_creates_a_model(cast, api_as, public_package, dataset):
    body = {
        "project": cast.project.id,
        "package": public_package.id,
        "name": "exp-1",
        "configuration": {"epochs": 3},
        "dataset": dataset.id,
        "tags": ["baseline"],
    }
    response = api_as(cast.developer).post("/api/v1/models", body, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["configuration"] == {"learning_rate": 0.001, "epochs": 3}
    assert body["labels"] == ["zero", "one"]
    assert body["status_history"][0]["to_status"] == "created"
    assert ModelVersion.objects.get(name="exp-1").tags.get().name == "baseline"


def test_it_names_the_field_of_a_taken_model_name(cast, api_as, model):
    body = {"project": cast.project.id, "package": model.package_id, "name": "first"}
    response = api_as(cast.developer).post("/api/v1/models", body, format="json")
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]


def test_it_refuses_a_dataset_of_another_project(cast, api_as, public_package, other_dataset):
    body = {
        "project": cast.project.id,
        "package": public_package.id,
        "name": "x",
        "dataset": other_dataset.id,
    }
    response = api_as(cast.developer).post("/api/v1/models", body, format="json")
    assert response.status_code == 404
    assert "dataset" in error_of(response)["fields"]


def test_an_annotator_cannot_create_a_model(cast, api_as, public_package):
    body = {"project": cast.project.id, "package": public_package.id, "name": "x"}
    response = api_as(cast.annotator).post("/api/v1/models", body, format="json")
    assert response.status_code == 403
    assert not ModelVersion.objects.exists()


def test_a_developer_edits_a_model(cast, api_as, model):
    url = f"/api/v1/models/{model.id}"
    body = {"description": "better", "tags": ["a", "b"], "configuration": {"epochs": 1}}
    response = api_as(cast.developer).patch(url, body, format="json")
    assert response.status_code == 200
    model.refresh_from_db()
    assert (model.description, model.configuration) == ("better", {"epochs": 1})
    assert response.json()["tags"] == ["a", "b"]


def test_a_configuration_that_is_not_an_object_names_the_field(cast, api_as, model):
    url = f"/api/v1/models/{model.id}"
    response = api_as(cast.developer).patch(url, {"configuration": "fast"}, format="json")
    assert response.status_code == 400
    assert "configuration" in error_of(response)["fields"]


def test_public_models_are_read_only(cast, api_as, public_model):
    url = f"/api/v1/models/{public_model.id}"
    assert api_as(cast.owner).patch(url, {"description": "x"}, format="json").status_code == 403
    assert api_as(cast.owner).delete(url).status_code == 403


def test_a_developer_deletes_a_model_and_its_children_are_reparented(cast, api_as, model):
    middle = ModelVersionFactory(project=cast.project, package=model.package, parent=model)
    child = ModelVersionFactory(project=cast.project, package=model.package, parent=middle)
    response = api_as(cast.developer).delete(f"/api/v1/models/{middle.id}")
    assert response.status_code == 204
    child.refresh_from_db()
    assert child.parent == model


def test_a_training_model_cannot_be_deleted(cast, api_as, model):
    model_set_status(model=model, status=ModelStatus.TRAINING)
    response = api_as(cast.developer).delete(f"/api/v1/models/{model.id}")
    assert response.status_code == 400
    assert "training" in error_of(response)["fields"]["status"]
    assert ModelVersion.objects.filter(pk=model.pk).exists()


def test_a_viewer_cannot_delete_a_model(cast, api_as, model):
    assert api_as(cast.viewer).delete(f"/api/v1/models/{model.id}").status_code == 403


def test_the_model_list_does_not_grow_in_queries(
    cast, api_as, public_package, django_assert_num_queries
):
    def add(count: int) -> None:
        for _ in range(count):
            model = ModelVersionFactory(project=cast.project, package=public_package)
            model_set_tags(model=model, tags=["a", "b"])

    client = api_as(cast.viewer)
    add(3)
    with django_assert_num_queries(3) as small:
        assert len(client.get("/api/v1/models").json()["results"]) == 3
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/models").json()["results"]) == 30


def test_the_models_of_a_role_below_developer_are_still_listed(cast, api_as, model):
    for role in (Role.VIEWER, Role.ANNOTATOR):
        assert names(api_as(cast.user(role)).get("/api/v1/models")) == ["first"]
