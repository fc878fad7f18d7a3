"""evaluation_create's default name: "<subset> <timestamp>", made unique on the model."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from data.models import AnnotationKind
from evaluation import services
from evaluation.models import Evaluation
from evaluation.services import evaluation_create
from tests.factories import DatasetFactory, ModelVersionFactory, PackageFactory

NOW = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)


@pytest.fixture
def frozen(monkeypatch):
    """Every evaluation starts in the same second."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def target(cast):
    package = PackageFactory(project=None, output_type=AnnotationKind.BOX)
    model = ModelVersionFactory(project=cast.project, package=package)
    dataset = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.BOX)
    return {"model": model, "dataset": dataset, "user": cast.developer}


def test_two_evaluations_in_the_same_second_both_get_a_name(frozen, target):
    first = evaluation_create(**target)
    second = evaluation_create(**target)
    third = evaluation_create(**target)

    assert first.name == "test 2024-05-06 07:08:09"
    assert second.name == "test 2024-05-06 07:08:09 (2)"
    assert third.name == "test 2024-05-06 07:08:09 (3)"
    assert Evaluation.objects.count() == 3


def test_a_freed_suffix_is_taken_again(frozen, target):
    evaluation_create(**target)
    second = evaluation_create(**target)
    evaluation_create(**target)
    second.delete()

    assert evaluation_create(**target).name == "test 2024-05-06 07:08:09 (2)"


def test_the_default_name_names_the_subset_or_every_item(frozen, target):
    assert evaluation_create(**target, subset=None).name == "all 2024-05-06 07:08:09"
    assert evaluation_create(**target, subset="validation").name.startswith("validation ")


def test_another_model_may_have_the_same_default_name(frozen, target, cast):
    other = {
        **target,
        "model": ModelVersionFactory(project=cast.project, package=target["model"].package),
    }

    assert evaluation_create(**target).name == evaluation_create(**other).name


def test_a_name_taken_between_the_look_and_the_insert_moves_to_the_next(
    frozen, target, monkeypatch
):
    """What a concurrent request does: it inserts the free name first."""
    insert = services._insert_evaluation

    def racing(name: str, fields: dict) -> Evaluation:
        if not Evaluation.objects.exists():
            insert(name, {**fields, "subset": "train"})  # the other request's row
        return insert(name, fields)

    monkeypatch.setattr(services, "_insert_evaluation", racing)

    created = evaluation_create(**target)

    assert created.name == "test 2024-05-06 07:08:09 (2)"
    assert Evaluation.objects.count() == 2


def test_a_clash_that_is_not_about_the_name_is_not_hidden(frozen, target, monkeypatch):
    def failing(name: str, fields: dict) -> Evaluation:
        raise IntegrityError("something else")

    monkeypatch.setattr(services, "_insert_evaluation", failing)

    with pytest.raises(IntegrityError):
        evaluation_create(**target)


def test_a_name_given_by_the_caller_still_clashes(target):
    evaluation_create(**target, name="mine")

    with pytest.raises(ValidationError) as refused:
        evaluation_create(**target, name="mine")

    assert "name" in refused.value.message_dict


def test_two_evaluate_clicks_in_the_same_second_both_succeed(frozen, api_as, cast, target):
    client = api_as(cast.developer)
    body = {"model": target["model"].id, "dataset": target["dataset"].id}

    first = client.post("/api/v1/evaluations", body, format="json")
    second = client.post("/api/v1/evaluations", body, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["name"] != second.json()["name"]
