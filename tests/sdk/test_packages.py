import pytest
from modelyard import errors

from registry.models import Package
from tests.factories import ModelVersionFactory, PackageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def digits_mlp(transactional_db):
    return PackageFactory(project=None, name="digits-mlp", description="An MLP.")


@pytest.fixture
def pretrained(digits_mlp):
    return ModelVersionFactory(
        project=None,
        package=digits_mlp,
        name="pretrained-digits-mlp",
        configuration={"learning_rate": 0.001, "epochs": 10, "hidden_layer_sizes": [64]},
    )


def test_packages_get_finds_a_public_package_by_name(yard, digits_mlp):
    package = yard.packages.get(package_name="digits-mlp")

    assert package.id == digits_mlp.id
    assert package.public is True
    assert package.project is None
    assert package.default_configuration == {"learning_rate": 0.001, "epochs": 10}


def test_package_models_get_finds_the_pretrained_version(yard, pretrained):
    package = yard.packages.get(package_name="digits-mlp")

    model = package.models.get(model_name="pretrained-digits-mlp")

    assert model.id == pretrained.id
    assert model.public is True
    assert model.package_name == "digits-mlp"
    assert model.configuration["hidden_layer_sizes"] == [64]


def test_package_models_list_holds_the_package_versions_you_can_see(yard, owner, pretrained):
    ModelVersionFactory(project=owner.project, package=pretrained.package, name="mine")
    ModelVersionFactory(project=owner.project, name="other package")

    package = yard.packages.get(package_id=pretrained.package_id)

    names = sorted(model.name for model in package.models.list())

    assert names == ["mine", "pretrained-digits-mlp"]


def test_an_unknown_package_name_raises_not_found(yard):
    with pytest.raises(errors.NotFound, match="no-such"):
        yard.packages.get(package_name="no-such")


def test_push_creates_a_project_package_then_updates_it(yard, owner):
    created = yard.packages.push(
        package_name="centroids",
        adapter="centroids.adapter:NearestCentroid",
        input_type="image",
        output_type="class",
        default_configuration={"metric": "euclidean"},
        project_id=owner.project.id,
    )
    updated = yard.packages.push(
        package_name="centroids",
        adapter="centroids.adapter:NearestCentroidV2",
        output_type="class",
        default_configuration={"metric": "cosine"},
        project_id=owner.project.id,
    )

    assert updated.id == created.id
    stored = Package.objects.get(pk=created.id)
    assert stored.project_id == owner.project.id
    assert stored.adapter == "centroids.adapter:NearestCentroidV2"
    assert stored.default_configuration == {"metric": "cosine"}


def test_a_project_package_wins_over_a_public_one_of_the_same_name(yard, owner, digits_mlp):
    mine = PackageFactory(project=owner.project, name="digits-mlp")

    assert yard.packages.get(package_name="digits-mlp").id == digits_mlp.id
    found = yard.packages.get(package_name="digits-mlp", project_id=owner.project.id)
    assert found.id == mine.id
    project = yard.projects.get(project_id=owner.project.id)
    assert project.packages.get(package_name="digits-mlp").id == mine.id


def test_packages_list_holds_public_and_your_projects_packages(yard, owner, digits_mlp):
    PackageFactory(project=owner.project, name="mine")

    assert sorted(package.name for package in yard.packages.list()) == ["digits-mlp", "mine"]
    assert [package.name for package in yard.packages.list(public=True)] == ["digits-mlp"]
