"""Review marks through the SDK against the live server: mark, marks, unmark, errors(mark=)."""

import importlib

import modelyard
import pytest
from modelyard import errors

from evaluation.models import ReviewMark
from evaluation.services import evaluation_compute
from registry.models import Role
from tests.evaluation.evaluations.conftest import store_set
from tests.sdk.conftest import member_of

pytestmark = pytest.mark.django_db(transaction=True)


def box(image, label, xywh, score=None) -> dict:
    row = {"image_id": image, "category_id": label, "bbox": xywh}
    return row if score is None else {**row, "score": score}


@pytest.fixture
def stored(owner):
    """At IoU 0.5: two false positives (label "1") and one false negative (label "2")."""
    gts = [box(1, 1, [0, 0, 10, 10]), box(1, 2, [50, 50, 10, 10])]
    dets = [
        box(1, 1, [0, 0, 10, 10], 0.9),
        box(1, 1, [0, 0, 10, 10], 0.8),
        box(1, 1, [200, 200, 10, 10], 0.5),
    ]
    evaluation = store_set(owner.project, gts, dets, 1, 2, user=owner.user).evaluation
    evaluation_compute(evaluation=evaluation)
    return evaluation


@pytest.fixture
def evaluation(yard, stored) -> modelyard.Evaluation:
    return yard.evaluations.get(evaluation_id=stored.id)


def test_mark_sets_a_verdict_on_a_false_positive_and_marks_lists_it(evaluation):
    fp = evaluation.errors(kind="fp")[0]

    mark = evaluation.mark(prediction=fp["id"], verdict="gt_wrong", note="a dog, really")

    assert (mark["prediction"], mark["verdict"], mark["note"]) == (
        fp["id"],
        "gt_wrong",
        "a dog, really",
    )
    assert mark["marked_by"] == "alice"
    assert [row["id"] for row in evaluation.marks()] == [mark["id"]]


def test_a_false_negative_is_marked_by_its_ground_truth_and_marks_filter_by_verdict(evaluation):
    fn = evaluation.errors(kind="fn")[0]
    evaluation.mark(ground_truth=fn["id"], verdict="confirmed")
    evaluation.mark(prediction=evaluation.errors(kind="fp")[0]["id"], verdict="ignore")

    confirmed = evaluation.marks(verdict="confirmed")

    assert [(row["ground_truth"], row["label"]) for row in confirmed] == [(fn["id"], "2")]
    assert len(evaluation.marks()) == 2


def test_marking_again_replaces_the_mark(evaluation):
    fp = evaluation.errors(kind="fp")[0]
    evaluation.mark(prediction=fp["id"], verdict="confirmed", note="first look")

    evaluation.mark(prediction=fp["id"], verdict="ignore")

    assert [(row["verdict"], row["note"]) for row in evaluation.marks()] == [("ignore", "")]


def test_errors_carry_their_mark_and_filter_by_it(evaluation):
    first, second = evaluation.errors(kind="fp")
    evaluation.mark(prediction=first["id"], verdict="gt_wrong", note="mislabelled")

    marked = evaluation.errors(kind="fp", mark="gt_wrong")
    unmarked = evaluation.errors(kind="fp", mark="unmarked")

    assert [row["id"] for row in marked] == [first["id"]]
    assert marked[0]["mark"] == {"verdict": "gt_wrong", "note": "mislabelled"}
    assert [(row["id"], row["mark"]) for row in unmarked] == [(second["id"], None)]


def test_unmark_removes_the_mark_and_unmarking_twice_is_fine(evaluation):
    fp = evaluation.errors(kind="fp")[0]
    evaluation.mark(prediction=fp["id"], verdict="ignore")

    evaluation.unmark(prediction=fp["id"])
    evaluation.unmark(prediction=fp["id"])

    assert evaluation.marks() == []
    assert not ReviewMark.objects.exists()


def test_marks_reads_every_page(evaluation, monkeypatch):
    # The session pages every list; one row a page makes `marks` walk three pages.
    monkeypatch.setattr(importlib.import_module("modelyard.session"), "PAGE_SIZE", 1)
    for row in evaluation.errors(kind="fp"):
        evaluation.mark(prediction=row["id"], verdict="confirmed")
    evaluation.mark(ground_truth=evaluation.errors(kind="fn")[0]["id"], verdict="confirmed")

    assert len(evaluation.marks()) == 3


@pytest.mark.parametrize("targets", [{}, {"prediction": 1, "ground_truth": 2}])
def test_mark_and_unmark_need_exactly_one_target(evaluation, targets):
    with pytest.raises(TypeError, match="prediction= or ground_truth="):
        evaluation.mark(**targets, verdict="ignore")
    with pytest.raises(TypeError):
        evaluation.unmark(**targets)


def test_a_refused_mark_raises_bad_request_naming_the_field(evaluation):
    fp = evaluation.errors(kind="fp")[0]

    with pytest.raises(errors.BadRequest, match="verdict"):
        evaluation.mark(prediction=fp["id"], verdict="great")
    with pytest.raises(errors.BadRequest, match="note"):
        evaluation.mark(prediction=fp["id"], verdict="ignore", note="n" * 2001)
    with pytest.raises(errors.BadRequest, match="ground_truth"):
        evaluation.mark(ground_truth=fp["id"] + 10_000, verdict="ignore")


def test_a_viewer_reads_marks_but_may_not_set_them(live_server, owner, stored, evaluation):
    evaluation.mark(prediction=evaluation.errors(kind="fp")[0]["id"], verdict="ignore")
    viewer = member_of(owner.project, "vera", Role.VIEWER)
    theirs = modelyard.Client(live_server.url, viewer.token, retries=0).evaluations.get(stored.id)

    assert len(theirs.marks()) == 1
    with pytest.raises(errors.Forbidden):
        theirs.mark(prediction=theirs.errors(kind="fp")[1]["id"], verdict="confirmed")
