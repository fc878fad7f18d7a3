"""Which evaluations a diff may compare with, and the errors naming `against` for the others."""

import pytest
from django.core.exceptions import ValidationError

from evaluation.regression_baselines import baseline_for, diff_baselines
from tests.evaluation.diff.conftest import evaluation_of
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def problem(current, against) -> str:
    with pytest.raises(ValidationError) as raised:
        baseline_for(current, against)
    return raised.value.message_dict["against"][0]


def test_the_candidates_are_the_other_finished_evaluations_of_the_dataset_and_kind(cast, scene):
    dataset = scene.current.dataset
    newer = evaluation_of(cast.project, dataset, "newer", "newer run")
    evaluation_of(cast.project, dataset, "queued", "queued run", status="queued")
    evaluation_of(cast.project, dataset, "classes", "class run", kind="class")
    evaluation_of(cast.project, DatasetFactory(project=cast.project), "elsewhere", "run")

    assert list(diff_baselines(scene.current)) == [newer, scene.baseline]


def test_a_subset_evaluation_compares_with_the_same_subset_or_every_item(cast, scene):
    scene.current.subset = "test"
    scene.current.save()
    dataset = scene.current.dataset
    same = evaluation_of(cast.project, dataset, "same", "same", subset="test")
    evaluation_of(cast.project, dataset, "other", "other", subset="validation")

    assert list(diff_baselines(scene.current)) == [same, scene.baseline]
    validation = evaluation_of(cast.project, dataset, "val", "val run", subset="validation")
    assert problem(scene.current, validation.id) == (
        f"Evaluation {validation.id} covers the validation subset and this one "
        "the test subset: they share no item."
    )


def test_a_candidate_is_accepted(scene):
    assert baseline_for(scene.current, str(scene.baseline.id)) == scene.baseline


@pytest.mark.parametrize("against", [None, "", "seven", "1.5"])
def test_a_missing_or_malformed_id_is_refused(scene, against):
    assert problem(scene.current, against) == "Give the id of the evaluation to compare with."


def test_another_projects_evaluation_reads_as_unknown(cast, scene):
    dataset = DatasetFactory(project=cast.other_project, annotation_kind="box")
    theirs = evaluation_of(cast.other_project, dataset, "theirs", "their run")

    assert problem(scene.current, theirs.id) == f"No evaluation {theirs.id} in this project."


def test_itself_another_dataset_kind_or_status_is_refused(cast, scene):
    dataset = scene.current.dataset
    elsewhere = evaluation_of(cast.project, DatasetFactory(project=cast.project), "e", "e")
    classes = evaluation_of(cast.project, dataset, "c", "c", kind="class")
    failed = evaluation_of(cast.project, dataset, "f", "f", status="failed")

    assert problem(scene.current, scene.current.id) == "Choose an evaluation other than this one."
    assert "is on another dataset" in problem(scene.current, elsewhere.id)
    assert problem(scene.current, classes.id) == (
        f"Evaluation {classes.id} is a classification evaluation."
    )
    assert problem(scene.current, failed.id) == f"Evaluation {failed.id} is failed, not finished."


def test_an_unfinished_evaluation_compares_with_nothing(scene):
    scene.current.status = "running"

    with pytest.raises(ValidationError, match="compare it once it is done"):
        baseline_for(scene.current, scene.baseline.id)
