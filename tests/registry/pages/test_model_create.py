import pytest
from django.urls import reverse

from registry.models import ModelVersion, StatusChange
from tests.factories import DatasetFactory, LabelFactory, ModelVersionFactory, PackageFactory

SUBSETS = {"train_subset": "train", "validation_subset": "validation", "test_subset": "test"}


@pytest.fixture
def url(cast) -> str:
    return reverse("registry:model_create", args=[cast.project.id])


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


@pytest.fixture
def package():
    return PackageFactory(
        default_configuration={"epochs": 10, "optim": {"lr": 0.1, "momentum": 0.9}}
    )


def form_data(package, **overrides) -> dict:
    return {"package": package.id, "name": "exp-1", **SUBSETS, **overrides}


def test_the_form_offers_public_and_project_packages_and_project_datasets(dev, cast, url):
    public = PackageFactory(name="public-one")
    ours = PackageFactory(project=cast.project, name="our-own")
    PackageFactory(project=cast.other_project, name="their-own")
    DatasetFactory(project=cast.project, name="our-data")
    DatasetFactory(project=cast.other_project, name="their-data")
    html = dev.get(url).content.decode()
    assert f'value="{public.id}"' in html
    assert f'value="{ours.id}"' in html
    assert "their-own" not in html
    assert "our-data" in html
    assert "their-data" not in html


def test_a_package_can_be_preselected_from_the_query_string(dev, url, package):
    html = dev.get(url, {"package": package.id}).content.decode()
    assert f'<option value="{package.id}" selected>' in html


def test_it_creates_a_model_with_the_configuration_merged_over_the_package_defaults(
    dev, cast, url, package
):
    dataset = DatasetFactory(project=cast.project)
    data = form_data(
        package,
        description="a first try",
        configuration='{"optim": {"lr": 0.01}, "batch": 32}',
        dataset=dataset.id,
        labels="cat, dog",
        tags="baseline, v1, baseline",
        test_subset="validation",
    )
    response = dev.post(url, data)
    model = ModelVersion.objects.get(project=cast.project, name="exp-1")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registry:model_detail", args=[cast.project.id, model.id]
    )
    assert model.configuration == {
        "epochs": 10,
        "optim": {"lr": 0.01, "momentum": 0.9},
        "batch": 32,
    }
    assert model.package == package
    assert model.dataset == dataset
    assert model.labels == ["cat", "dog"]
    assert model.test_subset == "validation"
    assert model.description == "a first try"
    assert model.created_by == cast.developer
    assert sorted(model.tags.values_list("name", flat=True)) == ["baseline", "v1"]
    assert StatusChange.objects.filter(model=model, to_status="created").exists()


def test_empty_labels_are_taken_from_the_dataset(dev, cast, url, package):
    dataset = DatasetFactory(project=cast.project)
    LabelFactory(dataset=dataset, name="bolt", position=0)
    LabelFactory(dataset=dataset, name="nut", position=1)
    dev.post(url, form_data(package, dataset=dataset.id, labels=""))
    assert ModelVersion.objects.get(name="exp-1").labels == ["bolt", "nut"]


def test_an_empty_configuration_takes_the_package_defaults(dev, url, package):
    dev.post(url, form_data(package, configuration=""))
    assert ModelVersion.objects.get(name="exp-1").configuration == package.default_configuration


def test_invalid_json_is_a_form_error_on_the_configuration(dev, url, package):
    response = dev.post(url, form_data(package, configuration='{"epochs": 10,'))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "This is not valid JSON" in errors["configuration"][0]
    assert "line 1" in errors["configuration"][0]
    assert "{&quot;epochs&quot;: 10,</textarea>" in response.content.decode()
    assert not ModelVersion.objects.exists()


def test_a_configuration_that_is_not_an_object_is_a_form_error(dev, url, package):
    response = dev.post(url, form_data(package, configuration="[1, 2]"))
    assert response.status_code == 400
    assert "must be a JSON object" in response.context["form"].errors["configuration"][0]
    assert not ModelVersion.objects.exists()


def test_a_duplicate_name_is_a_form_error_on_the_name(dev, cast, url, package):
    ModelVersionFactory(project=cast.project, name="exp-1")
    response = dev.post(url, form_data(package))
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]
    assert ModelVersion.objects.filter(name="exp-1").count() == 1


def test_repeated_labels_are_a_form_error_on_the_labels(dev, url, package):
    response = dev.post(url, form_data(package, labels="cat, cat"))
    assert response.status_code == 400
    assert "repeat" in response.context["form"].errors["labels"][0]


def test_a_package_of_another_project_cannot_be_used(dev, cast, url):
    theirs = PackageFactory(project=cast.other_project)
    response = dev.post(url, form_data(theirs))
    assert response.status_code == 400
    assert "package" in response.context["form"].errors
    assert not ModelVersion.objects.exists()


def test_a_dataset_of_another_project_cannot_be_used(dev, cast, url, package):
    theirs = DatasetFactory(project=cast.other_project)
    response = dev.post(url, form_data(package, dataset=theirs.id))
    assert response.status_code == 400
    assert "dataset" in response.context["form"].errors
    assert not ModelVersion.objects.exists()


def test_the_form_has_labels_for_every_field(dev, url):
    html = dev.get(url).content.decode()
    for field in ("package", "name", "configuration", "dataset", "labels", "tags", "test_subset"):
        assert f'<label for="id_{field}">' in html


def test_the_form_hands_the_package_defaults_to_its_script(dev, url, package):
    html = dev.get(url).content.decode()
    assert '<script id="package-defaults" type="application/json">' in html
    assert '"momentum": 0.9' in html
    assert "registry/models_form.js" in html
