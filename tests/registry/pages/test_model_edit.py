import pytest
from django.urls import reverse

from registry.models import ModelTag
from tests.factories import DatasetFactory, ModelVersionFactory

SUBSETS = {"train_subset": "train", "validation_subset": "validation", "test_subset": "test"}


@pytest.fixture
def model(cast):
    model = ModelVersionFactory(
        project=cast.project, name="exp-1", configuration={"epochs": 10}, labels=["a", "b"]
    )
    ModelTag.objects.create(model=model, name="old")
    return model


@pytest.fixture
def url(cast, model) -> str:
    return reverse("registry:model_edit", args=[cast.project.id, model.id])


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def test_the_form_is_filled_with_the_current_values(dev, url):
    html = dev.get(url).content.decode()
    assert 'value="exp-1"' in html
    assert "&quot;epochs&quot;: 10" in html
    assert 'value="a, b"' in html
    assert 'value="old"' in html


def test_it_saves_the_fields_and_replaces_configuration_and_tags(dev, cast, model, url):
    dataset = DatasetFactory(project=cast.project)
    data = {
        "name": "exp-1b",
        "description": "now described",
        "configuration": '{"epochs": 20, "nested": {"x": 1}}',
        "labels": "cat, dog",
        "dataset": dataset.id,
        "tags": "new, shiny",
        **SUBSETS,
        "train_subset": "validation",
    }
    response = dev.post(url, data)
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.name == "exp-1b"
    assert model.description == "now described"
    assert model.configuration == {"epochs": 20, "nested": {"x": 1}}
    assert model.labels == ["cat", "dog"]
    assert model.dataset == dataset
    assert model.train_subset == "validation"
    assert sorted(model.tags.values_list("name", flat=True)) == ["new", "shiny"]


def test_clearing_the_tags_removes_them(dev, model, url):
    dev.post(url, {"name": "exp-1", "configuration": "{}", "labels": "a", **SUBSETS})
    assert not model.tags.exists()


def test_a_duplicate_name_is_a_form_error(dev, cast, model, url):
    ModelVersionFactory(project=cast.project, name="taken")
    response = dev.post(url, {"name": "taken", **SUBSETS})
    assert response.status_code == 400
    assert "already exists" in response.context["form"].errors["name"][0]
    model.refresh_from_db()
    assert model.name == "exp-1"


def test_invalid_json_is_a_form_error_and_nothing_changes(dev, model, url):
    response = dev.post(url, {"name": "renamed", "configuration": "{epochs: 1}", **SUBSETS})
    assert response.status_code == 400
    assert "not valid JSON" in response.context["form"].errors["configuration"][0]
    model.refresh_from_db()
    assert model.name == "exp-1"
    assert model.configuration == {"epochs": 10}


def test_the_package_is_not_on_the_edit_form(dev, url):
    assert 'name="package"' not in dev.get(url).content.decode()
