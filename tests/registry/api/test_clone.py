"""POST /api/v1/models/{id}/clone: a new version that remembers its parent."""

from registry.models import ModelVersion
from tests.errors import error_of
from tests.factories import ArtifactFactory, DatasetFactory, MembershipFactory


def clone(client, source, **body):
    return client.post(f"/api/v1/models/{source.id}/clone", body, format="json")


def test_a_clone_records_its_parent_and_deep_merges_the_configuration(cast, api_as, model):
    model.configuration = {"epochs": 10, "optimizer": {"name": "adam", "lr": 0.001}}
    model.save()
    # The package's defaults also fill gaps in a new version; keep them out of this test.
    model.package.default_configuration = {}
    model.package.save()
    overrides = {"optimizer": {"lr": 0.01}, "batch_size": 32}
    response = clone(api_as(cast.developer), model, name="exp-2", configuration=overrides)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent"] == model.id
    assert body["configuration"] == {
        "epochs": 10,
        "optimizer": {"name": "adam", "lr": 0.01},
        "batch_size": 32,
    }
    saved = ModelVersion.objects.get(name="exp-2")
    assert (saved.parent, saved.project) == (model, cast.project)
    assert model.configuration["optimizer"]["lr"] == 0.001


def test_the_clone_shows_among_the_parents_children(cast, api_as, model):
    new_id = clone(api_as(cast.developer), model, name="exp-2").json()["id"]
    detail = api_as(cast.viewer).get(f"/api/v1/models/{model.id}").json()
    assert detail["children"] == [new_id]


def test_it_accepts_model_name_as_the_sdk_says_it(cast, api_as, model):
    response = clone(api_as(cast.developer), model, model_name="from-sdk")
    assert response.status_code == 201
    assert response.json()["name"] == "from-sdk"


def test_a_clone_shares_the_parents_artifacts(cast, api_as, model):
    artifact = ArtifactFactory(model=model, name="weights.bin")
    response = clone(api_as(cast.developer), model, name="exp-2")
    copied = ModelVersion.objects.get(pk=response.json()["id"]).artifacts.get()
    assert (copied.name, copied.file.name) == ("weights.bin", artifact.file.name)


def test_a_clone_may_take_another_dataset(cast, api_as, model):
    dataset = DatasetFactory(project=cast.project, name="new-data")
    response = clone(api_as(cast.developer), model, name="exp-2", dataset=dataset.id)
    assert response.json()["dataset"] == dataset.id


def test_a_clone_needs_a_name(cast, api_as, model):
    response = clone(api_as(cast.developer), model)
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]


def test_a_clone_name_must_be_free_in_the_project(cast, api_as, model):
    response = clone(api_as(cast.developer), model, name="first")
    assert response.status_code == 400
    assert "name" in error_of(response)["fields"]


def test_a_public_model_is_cloned_into_a_project_of_the_caller(cast, api_as, public_model):
    response = clone(api_as(cast.developer), public_model, name="mine", project=cast.project.id)
    assert response.status_code == 201
    saved = ModelVersion.objects.get(name="mine")
    assert (saved.project, saved.parent) == (cast.project, public_model)


def test_cloning_a_public_model_needs_a_project(cast, api_as, public_model):
    response = clone(api_as(cast.developer), public_model, name="mine")
    assert response.status_code == 400
    assert "project" in error_of(response)["fields"]


def test_cloning_needs_the_developer_role_in_the_target_project(cast, api_as, public_model):
    response = clone(api_as(cast.viewer), public_model, name="mine", project=cast.project.id)
    assert response.status_code == 403
    assert not ModelVersion.objects.filter(name="mine").exists()


def test_a_viewer_of_the_source_may_clone_into_a_project_where_they_develop(cast, api_as, model):
    MembershipFactory(project=cast.other_project, user=cast.viewer, role="developer")
    response = clone(api_as(cast.viewer), model, name="copy", project=cast.other_project.id)
    assert response.status_code == 201
    assert ModelVersion.objects.get(name="copy").project == cast.other_project


def test_cloning_into_a_project_of_which_the_caller_is_not_a_member_answers_404(
    cast, api_as, public_model
):
    body = {"name": "mine", "project": cast.other_project.id}
    response = clone(api_as(cast.developer), public_model, **body)
    assert response.status_code == 404
    assert "project" in error_of(response)["fields"]


def test_cloning_another_projects_model_answers_404(cast, api_as, other_model):
    response = clone(api_as(cast.owner), other_model, name="stolen", project=cast.project.id)
    assert response.status_code == 404
    assert not ModelVersion.objects.filter(name="stolen").exists()


def test_anonymous_callers_cannot_clone(api_client, public_model):
    assert clone(api_client, public_model, name="x").status_code == 401


def test_a_public_model_is_cloned_onto_a_dataset_of_the_target_project(
    cast, api_as, public_model, dataset
):
    body = {"name": "mine", "project": str(cast.project.id), "dataset": str(dataset.id)}

    response = clone(api_as(cast.developer), public_model, **body)

    assert response.status_code == 201, response.json()
    saved = ModelVersion.objects.get(name="mine")
    assert (saved.project, saved.dataset) == (cast.project, dataset)
    assert saved.labels == ["zero", "one"]


def test_a_dataset_the_caller_cannot_see_answers_404_naming_it(
    cast, api_as, public_model, other_dataset
):
    body = {"name": "mine", "project": cast.project.id, "dataset": other_dataset.id}

    response = clone(api_as(cast.developer), public_model, **body)

    assert response.status_code == 404
    assert "dataset" in error_of(response)["fields"]
    assert not ModelVersion.objects.filter(name="mine").exists()


def test_a_dataset_of_another_project_than_the_clones_answers_400_naming_it(
    cast, api_as, public_model, other_dataset
):
    MembershipFactory(project=cast.other_project, user=cast.developer, role="developer")
    body = {"name": "mine", "project": cast.project.id, "dataset": other_dataset.id}

    response = clone(api_as(cast.developer), public_model, **body)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]
    assert not ModelVersion.objects.filter(name="mine").exists()


def test_a_malformed_dataset_id_answers_400_naming_it(cast, api_as, public_model):
    body = {"name": "mine", "project": cast.project.id, "dataset": "datasetId"}

    response = clone(api_as(cast.developer), public_model, **body)

    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]
