"""GET /api/v1/evaluations/{id}/diff: thresholds, totals, per label by name, paginated items."""

import pytest

from tests.errors import error_of
from tests.evaluation.diff.conftest import api_diff_url, evaluation_of

pytestmark = pytest.mark.django_db


def get(api_as, cast, scene, **query):
    return api_as(cast.viewer).get(api_diff_url(scene.current), query)


def test_it_answers_the_thresholds_totals_per_label_and_changed_items(api_as, cast, scene):
    response = get(api_as, cast, scene, against=scene.baseline.id, iou=0.52)

    assert response.status_code == 200
    body = response.json()
    assert (body["against"], body["iou"], body["min_confidence"]) == (scene.baseline.id, 0.5, 0.0)
    assert body["totals"] == {"regressed": 1, "fixed": 1, "new_fp": 2, "fp_gone": 1}
    assert body["per_label"] == {
        "cat": {"regressed": 1, "fixed": 0, "new_fp": 0, "fp_gone": 1},
        "dog": {"regressed": 0, "fixed": 1, "new_fp": 2, "fp_gone": 0},
    }
    assert body["count"] == 4
    first = body["results"][0]
    assert first == {
        "item": scene.items["c"].id,
        "item_name": "c",
        "regressed": 0,
        "fixed": 0,
        "new_fp": 2,
        "fp_gone": 0,
    }
    assert [row["item_name"] for row in body["results"]] == ["c", "a", "b", "d"]


def test_it_answers_with_and_without_the_trailing_slash(api_as, cast, scene):
    client = api_as(cast.viewer)
    for url in (api_diff_url(scene.current), api_diff_url(scene.current) + "/"):
        assert client.get(url, {"against": scene.baseline.id}).status_code == 200


def test_a_label_narrows_the_counts_and_the_items(api_as, cast, scene):
    body = get(api_as, cast, scene, against=scene.baseline.id, label="cat").json()

    assert body["totals"] == {"regressed": 1, "fixed": 0, "new_fp": 0, "fp_gone": 1}
    assert list(body["per_label"]) == ["cat"]
    assert [row["item_name"] for row in body["results"]] == ["a", "d"]


def test_a_change_keeps_the_items_with_it_and_their_other_numbers(api_as, cast, scene):
    body = get(api_as, cast, scene, against=scene.baseline.id, change="fixed", min_confidence=0.5)
    body = body.json()

    assert [row["item_name"] for row in body["results"]] == ["a", "b"]
    assert body["results"][0]["regressed"] == 1  # item a: its cat regressed, its dog fixed
    assert body["totals"]["fixed"] == 2


def test_the_items_are_paginated(api_as, cast, scene):
    body = get(api_as, cast, scene, against=scene.baseline.id, page_size=3, page=2).json()

    assert body["count"] == 4
    assert [row["item_name"] for row in body["results"]] == ["d"]
    assert body["next"] is None
    assert "page_size=3" in body["previous"]


def test_without_a_baseline_it_is_a_400_naming_against(api_as, cast, scene):
    response = get(api_as, cast, scene)

    assert response.status_code == 400
    assert "against" in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "failed"}, "is failed, not finished."),
        ({"kind": "class"}, "is a classification evaluation."),
        ({"subset": "validation"}, "covers the validation subset and this one the test subset"),
    ],
)
def test_a_baseline_that_does_not_compare_is_a_400_naming_against(
    api_as, cast, scene, fields, message
):
    scene.current.subset = "test"
    scene.current.save()
    other = evaluation_of(cast.project, scene.current.dataset, "other", "other run", **fields)

    response = get(api_as, cast, scene, against=other.id)

    assert response.status_code == 400
    assert message in error_of(response)["fields"]["against"]


def test_a_baseline_on_another_dataset_or_itself_is_a_400(api_as, cast, scene):
    from tests.factories import DatasetFactory

    elsewhere = evaluation_of(cast.project, DatasetFactory(project=cast.project), "e", "e")
    for against, message in [
        (elsewhere.id, "is on another dataset"),
        (scene.current.id, "other than this one"),
        (10**9, f"No evaluation {10**9} in this project."),
    ]:
        response = get(api_as, cast, scene, against=against)
        assert response.status_code == 400
        assert message in error_of(response)["fields"]["against"]


def test_an_unfinished_evaluation_is_a_400(api_as, cast, scene):
    scene.current.status = "queued"
    scene.current.save()

    response = get(api_as, cast, scene, against=scene.baseline.id)

    assert response.status_code == 400
    assert "compare it once it is done" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"label": "zebra"}, "label"),
        ({"change": "worse"}, "change"),
        ({"iou": "0.3"}, "iou"),
        ({"min_confidence": "2"}, "min_confidence"),
        ({"against": "x"}, "against"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api_as, cast, scene, query, field):
    response = get(api_as, cast, scene, **{"against": scene.baseline.id, **query})

    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_it_is_read_only(api_as, cast, scene):
    response = api_as(cast.owner).post(api_diff_url(scene.current), {"against": 1}, format="json")

    assert response.status_code == 405


def test_it_is_in_the_schema(api_as, cast):
    schema = api_as(cast.viewer).get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/evaluations/{id}/diff/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"against", "iou", "min_confidence", "label", "change", "page"} <= names
