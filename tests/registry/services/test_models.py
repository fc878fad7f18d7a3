import pytest
from django.core.exceptions import ValidationError

from registry.models import ModelStatus, ModelVersion, StatusChange
from registry.services.models import (
    merge_configuration,
    model_clone,
    model_create,
    model_delete,
    model_set_status,
)
from tests.factories import ModelVersionFactory, PackageFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_merging_replaces_leaves_and_merges_nested_objects():
    base = {"optimizer": {"name": "adam", "lr": 0.1}, "epochs": 10, "layers": [64]}

    merged = merge_configuration(base, {"optimizer": {"lr": 0.01}, "layers": [32, 32]})

    assert merged == {"optimizer": {"name": "adam", "lr": 0.01}, "epochs": 10, "layers": [32, 32]}
    assert base["optimizer"]["lr"] == 0.1


def test_a_new_model_starts_from_the_package_defaults():
    package = PackageFactory(default_configuration={"epochs": 10, "seed": 0})

    model = model_create(
        project=ProjectFactory(),
        package=package,
        name="m",
        user=UserFactory(),
        configuration={"epochs": 3},
    )

    assert model.configuration == {"epochs": 3, "seed": 0}
    assert StatusChange.objects.get(model=model).to_status == ModelStatus.CREATED


def test_a_clone_merges_overrides_over_the_parent_and_records_it():
    parent = ModelVersionFactory(configuration={"net": {"depth": 18, "width": 64}, "lr": 0.1})

    clone = model_clone(
        source=parent, name="deeper", user=UserFactory(), configuration={"net": {"depth": 34}}
    )

    assert clone.parent == parent
    assert clone.project == parent.project
    assert clone.configuration == {"net": {"depth": 34, "width": 64}, "lr": 0.1}


def test_a_clone_does_not_bring_back_package_defaults_the_parent_dropped():
    package = PackageFactory(default_configuration={"lr": 0.1, "dropout": 0.5})
    parent = ModelVersionFactory(package=package, configuration={"lr": 0.2})

    clone = model_clone(source=parent, name="child", user=UserFactory())

    assert clone.configuration == {"lr": 0.2}


def test_a_clone_needs_a_free_name_in_its_project():
    parent = ModelVersionFactory(name="taken")

    with pytest.raises(ValidationError) as error:
        model_clone(source=parent, name="taken", user=UserFactory())

    assert "name" in error.value.error_dict
    assert ModelVersion.objects.count() == 1


def test_deleting_a_model_re_parents_its_children_to_its_own_parent():
    root = ModelVersionFactory()
    middle = ModelVersionFactory(project=root.project, parent=root)
    leaves = [ModelVersionFactory(project=root.project, parent=middle) for _ in range(2)]

    model_delete(model=middle)

    for leaf in leaves:
        leaf.refresh_from_db()
        assert leaf.parent == root


def test_a_model_that_is_training_cannot_be_deleted():
    model = ModelVersionFactory()
    model_set_status(model=model, status=ModelStatus.TRAINING, reason="job 1")

    with pytest.raises(ValidationError):
        model_delete(model=model)

    assert ModelVersion.objects.filter(pk=model.pk).exists()


def test_every_status_change_is_recorded_with_who_and_why():
    model = ModelVersionFactory()
    user = UserFactory()

    model_set_status(model=model, status=ModelStatus.QUEUED, user=user, reason="train pressed")

    change = StatusChange.objects.get(model=model, to_status=ModelStatus.QUEUED)
    assert (change.from_status, change.changed_by, change.reason) == (
        "created",
        user,
        "train pressed",
    )
