import pytest
from modelyard import errors

from evaluation.models import Evaluation
from registry.models import ModelVersion
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pretrained(transactional_db):
    package = PackageFactory(project=None, name="digits-mlp")
    return ModelVersionFactory(
        project=None,
        package=package,
        name="pretrained-digits-mlp",
        configuration={"learning_rate": 0.001, "epochs": 10, "optimizer": {"name": "adam"}},
    )


def test_clone_merges_the_configuration_over_the_parents(yard, owner, pretrained):
    source = yard.models.get(model_id=pretrained.id)

    clone = source.clone(
        model_name="my first exp",
        configuration={"learning_rate": 0.01, "optimizer": {"beta": 0.9}},
        project_id=owner.project.id,
    )

    assert clone.parent == pretrained.id
    assert clone.project == owner.project.id
    assert clone.configuration == {
        "learning_rate": 0.01,
        "epochs": 10,
        "optimizer": {"name": "adam", "beta": 0.9},
    }
    assert ModelVersion.objects.get(pk=clone.id).name == "my first exp"


def test_clone_with_a_dataset_sets_it(yard, owner, pretrained):
    dataset = DatasetFactory(project=owner.project, name="digits")
    project = yard.projects.get(project_id=owner.project.id)

    clone = yard.models.get(model_id=pretrained.id).clone(
        model_name="exp", project_id=project, dataset=project.datasets.get(dataset_name="digits")
    )

    assert clone.dataset == dataset.id


def test_cloning_a_public_model_without_a_project_is_a_bad_request(yard, pretrained):
    with pytest.raises(errors.BadRequest) as raised:
        yard.models.get(model_id=pretrained.id).clone(model_name="exp")

    assert "project" in raised.value.fields


def test_project_models_list_filters_by_status(yard, owner, pretrained):
    ModelVersionFactory(project=owner.project, package=pretrained.package, name="a")
    ModelVersionFactory(project=owner.project, package=pretrained.package, name="b")
    project = yard.projects.get(project_id=owner.project.id)

    assert sorted(model.name for model in project.models.list()) == ["a", "b"]
    assert project.models.list(status="trained") == []
    assert project.models.get(model_name="b").name == "b"


def test_models_create_makes_an_empty_version_for_offline_mode(yard, owner, pretrained):
    project = yard.projects.get(project_id=owner.project.id)

    model = project.models.create(
        model_name="offline", package=pretrained.package_id, configuration={"epochs": 3}
    )

    assert model.status == "created"
    # The package's defaults fill in what the version does not say.
    assert ModelVersion.objects.get(pk=model.id).configuration["epochs"] == 3


def test_update_changes_fields_and_delete_removes_the_version(yard, owner):
    row = ModelVersionFactory(project=owner.project, name="draft")
    model = yard.models.get(model_id=row.id)

    model.update(model_name="final", description="the one", tags=["best"])
    assert (model.name, model.description, model.tags) == ("final", "the one", ["best"])
    model.delete()

    assert not ModelVersion.objects.filter(pk=row.id).exists()


def test_a_public_model_is_read_only(yard, pretrained):
    with pytest.raises(errors.Forbidden):
        yard.models.get(model_id=pretrained.id).update(description="mine now")


def test_train_on_a_dataset_sets_it_and_queues_the_training(yard, owner):
    dataset = DatasetFactory(project=owner.project, name="digits")
    model = yard.models.get(model_id=ModelVersionFactory(project=owner.project, dataset=None).id)

    job = model.train(dataset=yard.datasets.get(dataset_id=str(dataset.id)))

    assert (job.kind, job.status) == ("train", "queued")
    assert (model.dataset, model.status) == (dataset.id, "queued")
    assert ModelVersion.objects.get(pk=model.id).dataset_id == dataset.id


def test_a_bare_train_without_a_dataset_says_how_to_give_one(yard, owner):
    row = ModelVersionFactory(project=owner.project, dataset=None, name="my-model")

    with pytest.raises(errors.BadRequest) as raised:
        yard.models.get(model_id=row.id).train()

    message = raised.value.fields["dataset"]
    assert message.startswith("Model 'my-model' has no dataset: pass train(dataset=...) or ")
    assert "clone(..., dataset=...)" in message
    assert "choose one on the model's page" in message


def test_a_clone_takes_its_project_and_dataset_as_string_ids(yard, owner, pretrained):
    dataset = DatasetFactory(project=owner.project, name="digits")

    clone = yard.models.get(model_id=str(pretrained.id)).clone(
        model_name="my-model",
        description="fine-tuned",
        project_id=str(owner.project.id),
        dataset=str(dataset.id),
    )

    saved = ModelVersion.objects.get(pk=clone.id)
    assert (saved.project, saved.dataset, saved.parent) == (owner.project, dataset, pretrained)
    assert saved.description == "fine-tuned"


def test_a_public_model_evaluates_on_a_dataset_of_your_project(yard, owner, pretrained):
    dataset = DatasetFactory(project=owner.project, name="digits")
    LabelFactory(dataset=dataset, name="3")
    pretrained.labels = ["3", "8"]
    pretrained.save()
    ArtifactFactory(model=pretrained)
    public = yard.packages.get(package_name="digits-mlp").models.get(
        model_name="pretrained-digits-mlp"
    )

    job = public.evaluate(dataset=yard.datasets.get(dataset_id=str(dataset.id)))

    assert (job.kind, job.status, job.project) == ("evaluate", "queued", owner.project.id)
    assert Evaluation.objects.get(pk=job.evaluation_id).project == owner.project
    assert [one.id for one in public.evaluations.list()] == [job.evaluation_id]
