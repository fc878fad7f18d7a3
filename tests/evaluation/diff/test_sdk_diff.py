"""evaluation.diff(against) in the SDK: the request it makes, paging, and against the server."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import modelyard
import pytest
from modelyard import errors

from registry.services.tokens import token_create
from tests.sdk.stub import StubServer

EVALUATION = {"id": 5, "name": "new run", "model": 3, "dataset": 2, "status": "succeeded"}
PATH = "/api/v1/evaluations/5/diff"
HEAD = {
    "against": 4,
    "iou": 0.5,
    "min_confidence": 0.3,
    "totals": {"regressed": 2, "fixed": 1, "new_fp": 0, "fp_gone": 0},
    "per_label": {"cat": {"regressed": 2, "fixed": 1, "new_fp": 0, "fp_gone": 0}},
    "count": 3,
    "previous": None,
}


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.stop()


@pytest.fixture
def evaluation(stub) -> modelyard.Evaluation:
    return modelyard.Evaluation(modelyard.Client(stub.url, "token", retries=0), EVALUATION)


def query(recorded) -> dict[str, list[str]]:
    return parse_qs(urlsplit(recorded.path).query)


def two_pages(stub) -> None:
    second = f"{stub.url}{PATH}?against=4&page=2"
    stub.answers[("GET", PATH)] = [
        (200, {**HEAD, "results": [{"item": 1}, {"item": 2}], "next": second}),
        (200, {**HEAD, "results": [{"item": 3}], "next": None}),
    ]


def test_diff_asks_for_the_baseline_and_thresholds_and_reads_every_page(stub, evaluation):
    two_pages(stub)
    baseline = modelyard.Evaluation(evaluation.client, {**EVALUATION, "id": 4})

    diff = evaluation.diff(baseline, iou=0.75, min_confidence=0.3, change="regressed")

    assert diff["totals"] == HEAD["totals"]
    assert diff["per_label"]["cat"]["regressed"] == 2
    assert [row["item"] for row in diff["items"]] == [1, 2, 3]
    assert "results" not in diff
    assert "next" not in diff
    asked = query(stub.requests[0])
    assert asked["against"] == ["4"]
    assert (asked["iou"], asked["min_confidence"], asked["change"]) == (
        ["0.75"],
        ["0.3"],
        ["regressed"],
    )
    assert "label" not in asked  # None stays out of the query
    assert query(stub.requests[1])["page"] == ["2"]


def test_a_limit_stops_reading_pages(stub, evaluation):
    two_pages(stub)

    diff = evaluation.diff(against=4, limit=1)

    assert [row["item"] for row in diff["items"]] == [1]
    assert len(stub.requests) == 1
    assert query(stub.requests[0])["page_size"] == ["1"]


def test_a_refused_baseline_raises_with_the_servers_reason(stub, evaluation):
    refusal = {
        "error": {
            "code": "invalid",
            "message": "against: Evaluation 4 is failed, not finished.",
            "fields": {"against": "Evaluation 4 is failed, not finished."},
        }
    }
    stub.answers[("GET", PATH)] = [(400, refusal)]

    with pytest.raises(errors.BadRequest, match="against"):
        evaluation.diff(against=4)


@pytest.mark.django_db(transaction=True)
def test_diff_against_the_live_server(live_server, cast, scene):
    token = token_create(user=cast.viewer, name="sdk")[1]
    yard = modelyard.Client(live_server.url, token, retries=0)
    current = yard.evaluations.get(evaluation_id=scene.current.id)

    diff = current.diff(against=yard.evaluations.get(evaluation_id=scene.baseline.id), label="dog")

    assert diff["totals"] == {"regressed": 0, "fixed": 1, "new_fp": 2, "fp_gone": 0}
    assert [row["item_name"] for row in diff["items"]] == ["c", "b"]
    assert diff["count"] == 2
