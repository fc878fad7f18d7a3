import pytest
from modelyard import errors

from data.models import Dataset
from registry.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_creates_a_project_you_then_own(yard):
    project = yard.projects.create(project_name="Parts", description="Bolts and nuts")

    assert project.name == "Parts"
    assert project.role == "owner"
    assert Project.objects.get(pk=project.id).description == "Bolts and nuts"


def test_it_gets_a_project_by_name_and_by_id(yard, owner):
    by_name = yard.projects.get(project_name="Acme")
    by_id = yard.projects.get(project_id=owner.project.id)

    assert by_name == by_id
    assert by_name.id == owner.project.id


def test_a_project_you_are_not_in_is_not_found_by_name(yard):
    ProjectFactory(name="Secret")

    with pytest.raises(errors.NotFound):
        yard.projects.get(project_name="Secret")


def test_get_needs_exactly_one_of_name_and_id(yard):
    with pytest.raises(TypeError):
        yard.projects.get()


def test_it_lists_only_your_projects(yard):
    ProjectFactory(name="Secret")

    assert [project.name for project in yard.projects.list()] == ["Acme"]


def test_a_project_creates_a_dataset_with_its_label_map(yard):
    project = yard.projects.get(project_name="Acme")

    dataset = project.datasets.create(
        dataset_name="parts", labels=["bolt", "nut"], annotation_kind="box"
    )

    assert dataset.label_names == ["bolt", "nut"]
    assert dataset.annotation_kind == "box"
    stored = Dataset.objects.get(pk=dataset.id)
    assert stored.project_id == project.id
    assert [label.name for label in stored.labels.order_by("position")] == ["bolt", "nut"]


def test_a_dataset_is_found_by_name_within_its_project(yard):
    project = yard.projects.get(project_name="Acme")
    created = project.datasets.create(dataset_name="parts", labels=["bolt"])
    yard.projects.create(project_name="Other").datasets.create(dataset_name="parts")

    found = project.datasets.get(dataset_name="parts")

    assert found == created
    assert [dataset.name for dataset in project.datasets.list()] == ["parts"]


def test_the_same_dataset_name_in_two_projects_is_ambiguous_without_one(yard):
    yard.projects.get(project_name="Acme").datasets.create(dataset_name="parts")
    yard.projects.create(project_name="Other").datasets.create(dataset_name="parts")

    with pytest.raises(errors.Ambiguous):
        yard.datasets.get(dataset_name="parts")


def test_a_dataset_is_renamed_and_deleted(yard):
    dataset = yard.projects.get(project_name="Acme").datasets.create(dataset_name="parts")

    dataset.update(dataset_name="pieces", description="renamed")
    assert Dataset.objects.get(pk=dataset.id).name == "pieces"
    dataset.delete()

    assert not Dataset.objects.filter(pk=dataset.id).exists()
