import pytest
from django.urls import reverse

from registry.models import ModelTag, ModelVersion
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)


@pytest.fixture
def source(cast):
    dataset = DatasetFactory(project=cast.project)
    source = ModelVersionFactory(
        project=cast.project,
        # No package defaults: what the clone gets comes from its parent alone.
        package=PackageFactory(default_configuration={}),
        name="exp-1",
        configuration={"epochs": 10, "optim": {"lr": 0.1, "momentum": 0.9}},
        labels=["cat", "dog"],
        dataset=dataset,
    )
    ModelTag.objects.create(model=source, name="baseline")
    return source


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def clone_url(project, model) -> str:
    return reverse("registry:model_clone", args=[project.id, model.id])


def test_the_form_proposes_a_name_and_shows_the_parents_configuration(dev, cast, source):
    html = dev.get(clone_url(cast.project, source)).content.decode()
    assert 'value="exp-1 (clone)"' in html
    assert "&quot;momentum&quot;: 0.9" in html


def test_a_clone_keeps_the_parent_link_and_merges_the_configuration(dev, cast, source):
    response = dev.post(
        clone_url(cast.project, source),
        {"name": "exp-2", "configuration": '{"optim": {"lr": 0.01}, "batch": 64}'},
    )
    clone = ModelVersion.objects.get(project=cast.project, name="exp-2")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "registry:model_detail", args=[cast.project.id, clone.id]
    )
    assert clone.parent == source
    assert clone.configuration == {
        "epochs": 10,
        "optim": {"lr": 0.01, "momentum": 0.9},
        "batch": 64,
    }
    assert clone.package == source.package
    assert clone.dataset == source.dataset
    assert clone.labels == ["cat", "dog"]
    assert list(clone.tags.values_list("name", flat=True)) == ["baseline"]
    assert clone.created_by == cast.developer


def test_the_clones_page_shows_its_parent_in_the_lineage(dev, cast, source):
    response = dev.post(clone_url(cast.project, source), {"name": "exp-2"}, follow=True)
    html = response.content.decode()
    lineage = html[html.index('id="lineage"') :]
    parent_link = reverse("registry:model_detail", args=[cast.project.id, source.id])
    assert lineage.index(parent_link) < lineage.index(
        '<li class="current" aria-current="page">exp-2'
    )


def test_empty_overrides_keep_the_configuration(dev, cast, source):
    dev.post(clone_url(cast.project, source), {"name": "exp-2", "configuration": ""})
    assert ModelVersion.objects.get(name="exp-2").configuration == source.configuration


def test_a_clone_can_use_another_dataset_and_takes_its_labels(dev, cast, source):
    other = DatasetFactory(project=cast.project)
    LabelFactory(dataset=other, name="bolt")
    dev.post(clone_url(cast.project, source), {"name": "exp-2", "dataset": other.id})
    clone = ModelVersion.objects.get(name="exp-2")
    assert clone.dataset == other
    assert clone.labels == ["bolt"]


def test_a_clone_shares_the_parents_artifacts(dev, cast, source):
    artifact = ArtifactFactory(model=source, name="weights.pt")
    dev.post(clone_url(cast.project, source), {"name": "exp-2"})
    copied = ModelVersion.objects.get(name="exp-2").artifacts.get()
    assert copied.name == "weights.pt"
    assert copied.file.name == artifact.file.name
    assert copied.sha256 == artifact.sha256


def test_a_public_pretrained_model_is_cloned_into_the_current_project(dev, cast):
    package = PackageFactory(default_configuration={"epochs": 1, "lr": 0.1})
    public = ModelVersionFactory(
        project=None, package=package, name="pretrained", configuration={"epochs": 5, "lr": 0.2}
    )
    response = dev.post(
        clone_url(cast.project, public), {"name": "mine", "configuration": '{"epochs": 8}'}
    )
    assert response.status_code == 302
    clone = ModelVersion.objects.get(name="mine")
    assert clone.project == cast.project
    assert clone.parent == public
    assert clone.configuration == {"epochs": 8, "lr": 0.2}


def test_a_duplicate_name_is_a_form_error(dev, cast, source):
    response = dev.post(clone_url(cast.project, source), {"name": "exp-1"})
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]
    assert ModelVersion.objects.count() == 1


def test_invalid_overrides_are_a_form_error(dev, cast, source):
    response = dev.post(clone_url(cast.project, source), {"name": "x", "configuration": "[]"})
    assert response.status_code == 400
    assert "must be a JSON object" in response.context["form"].errors["configuration"][0]
    assert ModelVersion.objects.count() == 1


def test_a_dataset_of_another_project_is_not_accepted(dev, cast, source):
    theirs = DatasetFactory(project=cast.other_project)
    response = dev.post(clone_url(cast.project, source), {"name": "x", "dataset": theirs.id})
    assert response.status_code == 400
    assert "dataset" in response.context["form"].errors
