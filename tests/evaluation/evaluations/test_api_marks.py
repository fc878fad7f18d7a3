"""/evaluations/{id}/marks (list, set, remove) and the marks on /evaluations/{id}/errors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import EvalPrediction, Evaluation, ReviewMark
from evaluation.reviews import review_mark_set, review_target_of
from evaluation.selectors import errors_at
from evaluation.services import evaluation_compute
from tests.errors import error_of
from tests.evaluation.evaluations.generated import det, detection_set, gt
from tests.factories import ModelVersionFactory


@pytest.fixture
def scene(store):
    """At IoU 0.5: four false positives (labels "1"), two false negatives (a "2", a "1")."""
    gts = [gt(1, 1, [0, 0, 10, 10]), gt(1, 2, [50, 50, 10, 10]), gt(2, 1, [100, 100, 10, 10])]
    dets = [
        det(1, 1, [0, 0, 10, 10], 0.9),
        det(1, 1, [0, 0, 10, 10], 0.8),
        det(1, 1, [5, 5, 10, 10], 0.7),
        det(1, 1, [50, 50, 10, 10], 0.6),
        det(2, 1, [200, 200, 10, 10], 0.5),
    ]
    stored = store(gts, dets, 2, 2)
    evaluation_compute(evaluation=stored.evaluation)
    return stored.evaluation


def fps(evaluation) -> list:
    return list(errors_at(evaluation, kind="fp"))


def fns(evaluation) -> list:
    return list(errors_at(evaluation, kind="fn"))


def url(evaluation, what: str = "marks") -> str:
    return f"/api/v1/evaluations/{evaluation.id}/{what}"


def put(client, evaluation, **body):
    return client.put(url(evaluation), {"verdict": "confirmed", **body}, format="json")


# --- Setting a mark ------------------------------------------------------------


@pytest.mark.parametrize("role", ["annotator", "developer", "owner"])
def test_annotators_and_above_mark_a_false_positive(cast, api_as, scene, role):
    fp = fps(scene)[0]

    response = put(api_as(cast.user(role)), scene, prediction=fp.id, verdict="gt_wrong", note="ok")

    assert response.status_code == 200
    body = response.json()
    assert (body["prediction"], body["ground_truth"]) == (fp.id, None)
    assert (body["kind"], body["item"], body["label"]) == ("fp", fp.item_id, "1")
    assert (body["verdict"], body["note"], body["marked_by"]) == ("gt_wrong", "ok", role)
    assert body["marked_at"]
    mark = ReviewMark.objects.get()
    assert (mark.prediction_id, mark.verdict, mark.marked_by) == (
        fp.id,
        "gt_wrong",
        cast.user(role),
    )


def test_a_false_negative_is_marked_through_its_ground_truth(cast, api_as, scene):
    missed = next(row for row in fns(scene) if row.label.name == "2")

    response = put(api_as(cast.annotator), scene, ground_truth=missed.id)

    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["label"]) == ("fn", "2")
    assert ReviewMark.objects.get().ground_truth_id == missed.id


def test_marking_again_replaces_the_mark(cast, api_as, scene):
    client, fp = api_as(cast.annotator), fps(scene)[0]
    put(client, scene, prediction=fp.id, verdict="confirmed", note="first")

    response = put(client, scene, prediction=fp.id, verdict="ignore")

    assert (response.json()["verdict"], response.json()["note"]) == ("ignore", "")
    assert list(ReviewMark.objects.values_list("verdict", "note")) == [("ignore", "")]


def test_a_viewer_reads_the_marks_but_may_not_set_or_remove_them(cast, api_as, scene):
    fp = fps(scene)[0]
    put(api_as(cast.annotator), scene, prediction=fp.id)
    client = api_as(cast.viewer)

    assert client.get(url(scene)).json()["count"] == 1
    assert put(client, scene, prediction=fp.id, verdict="ignore").status_code == 403
    assert client.delete(url(scene) + f"?prediction={fp.id}").status_code == 403
    assert ReviewMark.objects.get().verdict == "confirmed"


def test_an_outsider_gets_a_404_for_everything(cast, api_as, scene):
    fp = fps(scene)[0]
    client = api_as(cast.outsider)

    assert client.get(url(scene)).status_code == 404
    assert put(client, scene, prediction=fp.id).status_code == 404
    assert client.delete(url(scene) + f"?prediction={fp.id}").status_code == 404
    assert not ReviewMark.objects.exists()


def test_an_anonymous_caller_must_sign_in(api_client, scene):
    assert api_client.get(url(scene)).status_code == 401


# --- Refusals --------------------------------------------------------------------


def test_an_error_of_another_evaluation_is_a_400_naming_the_field(cast, api_as, scene):
    other = Evaluation.objects.create(
        project=cast.project,
        model=ModelVersionFactory(project=cast.project),
        dataset=scene.dataset,
        name="other",
        kind="box",
        mode="offline",
    )
    theirs = EvalPrediction.objects.create(
        evaluation=other, item=fps(scene)[0].item, label=fps(scene)[0].label, confidence=0.5
    )
    client = api_as(cast.annotator)

    response = put(client, scene, prediction=theirs.id)
    missing = put(client, scene, ground_truth=fns(scene)[0].id + 1000)

    assert response.status_code == 400
    assert "prediction" in error_of(response)["fields"]
    assert missing.status_code == 400
    assert "ground_truth" in error_of(missing)["fields"]
    assert not ReviewMark.objects.exists()


@pytest.mark.parametrize("targets", [{}, {"prediction": 1, "ground_truth": 1}])
def test_both_or_neither_target_is_a_400_naming_both_fields(cast, api_as, scene, targets):
    response = put(api_as(cast.annotator), scene, **targets)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"prediction", "ground_truth"}


def test_an_unknown_verdict_is_a_400_naming_it(cast, api_as, scene):
    response = put(api_as(cast.annotator), scene, prediction=fps(scene)[0].id, verdict="great")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"verdict"}


def test_a_note_of_2000_characters_is_kept_and_a_longer_one_is_a_400(cast, api_as, scene):
    client, fp = api_as(cast.annotator), fps(scene)[0]

    refused = put(client, scene, prediction=fp.id, note="n" * 2001)
    kept = put(client, scene, prediction=fp.id, note="n" * 2000)

    assert refused.status_code == 400
    assert set(error_of(refused)["fields"]) == {"note"}
    assert kept.status_code == 200
    assert len(ReviewMark.objects.get().note) == 2000


def test_the_service_refuses_a_long_note_instead_of_cutting_it(cast, scene):
    target = review_target_of(scene, "prediction", fps(scene)[0].id)

    with pytest.raises(ValidationError) as refused:
        review_mark_set(
            evaluation=scene, target=target, verdict="ignore", note="n" * 2001, user=cast.owner
        )

    assert set(refused.value.message_dict) == {"note"}
    assert not ReviewMark.objects.exists()


# --- Removing a mark ---------------------------------------------------------------


def test_delete_removes_the_mark_named_in_the_query_string(cast, api_as, scene):
    client, fp, fn = api_as(cast.annotator), fps(scene)[0], fns(scene)[0]
    put(client, scene, prediction=fp.id)
    put(client, scene, ground_truth=fn.id)

    response = client.delete(url(scene) + f"?prediction={fp.id}")

    assert response.status_code == 204
    assert list(ReviewMark.objects.values_list("ground_truth_id", flat=True)) == [fn.id]
    assert client.delete(url(scene) + f"?prediction={fp.id}").status_code == 204


def test_delete_without_a_valid_target_is_a_400(cast, api_as, scene):
    client = api_as(cast.annotator)

    assert client.delete(url(scene)).status_code == 400
    response = client.delete(url(scene) + "?ground_truth=999999")
    assert set(error_of(response)["fields"]) == {"ground_truth"}


# --- Listing marks ------------------------------------------------------------------


@pytest.fixture
def marked(cast, api_as, scene):
    """Three marks: two false positives (gt_wrong, ignore), one false negative (confirmed)."""
    client = api_as(cast.annotator)
    first, second = fps(scene)[:2]
    put(client, scene, prediction=first.id, verdict="gt_wrong", note="a dog, really")
    put(client, scene, prediction=second.id, verdict="ignore")
    put(client, scene, ground_truth=fns(scene)[0].id, verdict="confirmed")
    return scene


def test_the_list_shows_each_mark_with_its_error_last_marked_first(cast, api_as, marked):
    rows = api_as(cast.viewer).get(url(marked)).json()["results"]

    assert [row["verdict"] for row in rows] == ["confirmed", "ignore", "gt_wrong"]
    assert (rows[0]["prediction"], rows[0]["ground_truth"]) == (None, fns(marked)[0].id)
    assert rows[2]["note"] == "a dog, really"
    assert {row["marked_by"] for row in rows} == {"annotator"}
    assert {row["item_name"] for row in rows} <= {"img_00001.png", "img_00002.png"}


def test_the_list_filters_by_verdict_and_refuses_an_unknown_one(cast, api_as, marked):
    client = api_as(cast.viewer)

    ignored = client.get(url(marked), {"verdict": "ignore"}).json()
    refused = client.get(url(marked), {"verdict": "nope"})

    assert [row["verdict"] for row in ignored["results"]] == ["ignore"]
    assert ignored["count"] == 1
    assert refused.status_code == 400
    assert set(error_of(refused)["fields"]) == {"verdict"}


def test_the_list_is_paginated(cast, api_as, marked):
    body = api_as(cast.viewer).get(url(marked), {"page_size": 2}).json()

    assert (body["count"], len(body["results"])) == (3, 2)
    assert "page=2" in body["next"]


# --- Marks on the errors list ----------------------------------------------------------


def test_each_error_carries_its_mark_or_null(cast, api_as, marked):
    rows = api_as(cast.viewer).get(url(marked, "errors"), {"kind": "fp"}).json()["results"]

    by_id = {row["id"]: row["mark"] for row in rows}
    first, second, third = fps(marked)[:3]
    assert by_id[first.id] == {"verdict": "gt_wrong", "note": "a dog, really"}
    assert by_id[second.id] == {"verdict": "ignore", "note": ""}
    assert by_id[third.id] is None


@pytest.mark.parametrize("kind", ["fp", "fn"])
def test_the_mark_filter_splits_the_errors_and_the_counts_agree(cast, api_as, marked, kind):
    client, path = api_as(cast.viewer), url(marked, "errors")
    everything = client.get(path, {"kind": kind}).json()["count"]
    counts = {}
    for mark in ("unmarked", "gt_wrong", "confirmed", "ignore"):
        body = client.get(path, {"kind": kind, "mark": mark}).json()
        assert body["count"] == len(body["results"])
        wanted = None if mark == "unmarked" else mark
        assert all((row["mark"] or {}).get("verdict") == wanted for row in body["results"])
        counts[mark] = body["count"]

    assert sum(counts.values()) == everything
    assert counts["unmarked"] == everything - (2 if kind == "fp" else 1)


def test_an_unknown_mark_filter_is_a_400(cast, api_as, marked):
    response = api_as(cast.viewer).get(url(marked, "errors"), {"mark": "maybe"})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"mark"}


@pytest.fixture
def generated(cast, store):
    """30 images of errors, every other false positive and false negative marked."""
    gts, dets = detection_set(seed=31, images=30, labels=3, max_gts=10, extra=5)
    evaluation = store(gts, dets, 30, 3).evaluation
    evaluation_compute(evaluation=evaluation)
    for row in fps(evaluation)[::2]:
        ReviewMark.objects.create(evaluation=evaluation, prediction=row, verdict="ignore")
    for row in fns(evaluation)[::2]:
        ReviewMark.objects.create(evaluation=evaluation, ground_truth=row, verdict="confirmed")
    return evaluation


def queries_for(client, path: str, query: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get(path, query).json()
    return len(captured), body


@pytest.mark.parametrize("kind", ["fp", "fn"])
def test_marked_errors_cost_the_same_queries_whatever_the_page_size(cast, api_as, generated, kind):
    client, path = api_as(cast.viewer), url(generated, "errors")
    client.get(path)  # warm the membership cache of the session

    small, body = queries_for(client, path, {"kind": kind, "page_size": 2})
    large, body = queries_for(client, path, {"kind": kind, "page_size": 40})

    assert len(body["results"]) == 40
    assert any(row["mark"] for row in body["results"])
    assert small == large


def test_the_marks_list_costs_the_same_queries_whatever_its_size(cast, api_as, generated):
    client, path = api_as(cast.viewer), url(generated)
    client.get(path)

    small, _ = queries_for(client, path, {"page_size": 2})
    large, body = queries_for(client, path, {"page_size": 40})

    assert len(body["results"]) == 40
    assert small == large
