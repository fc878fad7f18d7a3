"""The SDK's evaluation calls against a stub server: the requests they make, what they return."""

from urllib.parse import parse_qs, urlsplit

import modelyard
import numpy as np
import pytest
from modelyard import errors

EVALUATION = {
    "id": 5,
    "name": "test 1",
    "model": 3,
    "dataset": 2,
    "subset": "test",
    "status": "created",
    "summary": {},
    "per_label": {},
}
JOB = {"id": 9, "name": "evaluate #9", "kind": "evaluate", "status": "queued", "progress": 0}


@pytest.fixture
def client(stub) -> modelyard.Client:
    return modelyard.Client(stub.url, "token", retries=0)


def model_of(client) -> modelyard.Model:
    return modelyard.Model(client, {"id": 3, "name": "digits v1", "project": 1})


def query(recorded) -> dict[str, list[str]]:
    return parse_qs(urlsplit(recorded.path).query)


def test_model_evaluate_posts_the_dataset_and_subset_and_returns_the_job(stub, client):
    answer = {"job": JOB, "evaluation": 5}
    stub.answers[("POST", "/api/v1/models/3/evaluate")] = [(201, answer)]

    job = model_of(client).evaluate(dataset=modelyard.Dataset(client, {"id": 2, "name": "d"}))

    assert isinstance(job, modelyard.Job)
    assert (job.id, job.kind, job.evaluation_id) == (9, "evaluate", 5)
    assert stub.requests[0].body == {"dataset": 2, "subset": "test"}


def test_model_evaluate_with_no_subset_asks_for_every_item(stub, client):
    stub.answers[("POST", "/api/v1/models/3/evaluate")] = [(201, {"job": JOB, "evaluation": 5})]

    model_of(client).evaluate(subset=None)

    assert stub.requests[0].body == {"dataset": None, "subset": ""}


def test_a_refused_evaluate_raises_with_the_servers_reason(stub, client):
    refusal = {"error": {"code": "invalid", "message": "train it first", "fields": {}}}
    stub.answers[("POST", "/api/v1/models/3/evaluate")] = [(400, refusal)]

    with pytest.raises(errors.BadRequest, match="train it first"):
        model_of(client).evaluate()


def test_evaluations_create_posts_the_model_dataset_subset_and_name(stub, client):
    stub.answers[("POST", "/api/v1/evaluations")] = [(201, EVALUATION)]

    evaluation = model_of(client).evaluations.create(dataset=2, subset=None, name="mine")

    assert isinstance(evaluation, modelyard.Evaluation)
    assert (evaluation.id, evaluation.status) == (5, "created")
    assert stub.requests[0].body == {"model": 3, "dataset": 2, "subset": "", "name": "mine"}


def test_evaluations_list_and_get_read_the_models_evaluations(stub, client):
    stub.answers[("GET", "/api/v1/evaluations")] = [(200, {"results": [EVALUATION], "next": None})]
    stub.answers[("GET", "/api/v1/evaluations/5")] = [(200, EVALUATION)]

    listed = model_of(client).evaluations.list()
    got = model_of(client).evaluations.get(evaluation_id=5)

    assert listed == [got]
    assert query(stub.requests[0])["model"] == ["3"]


def test_upload_predictions_sends_chunks_of_10000_as_plain_json(stub, client):
    stub.answers[("POST", "/api/v1/evaluations/5/predictions")] = lambda body: (
        201,
        {"accepted": len(body["predictions"])},
    )
    evaluation = modelyard.Evaluation(client, EVALUATION)
    rows = [
        {"item": f"img_{i}.png", "label": "a", "confidence": np.float32(0.5), "box": (1, 2, 3, 4)}
        for i in range(25_000)
    ]

    accepted = evaluation.upload_predictions(rows)

    assert accepted == 25_000
    sizes = [len(request.body["predictions"]) for request in stub.requests]
    assert sizes == [10_000, 10_000, 5_000]
    first = stub.requests[0].body["predictions"][0]
    assert first == {"item": "img_0.png", "label": "a", "confidence": 0.5, "box": [1, 2, 3, 4]}


def test_a_bad_prediction_raises_naming_the_row(stub, client):
    refusal = {"error": {"code": "invalid", "message": "row 3: unknown item x.png", "fields": {}}}
    stub.answers[("POST", "/api/v1/evaluations/5/predictions")] = [(400, refusal)]
    evaluation = modelyard.Evaluation(client, EVALUATION)

    with pytest.raises(errors.BadRequest, match="row 3"):
        evaluation.upload_predictions([{"item": "x.png", "label": "a", "confidence": 0.5}])


def test_finish_returns_the_job_and_refreshes_the_evaluation(stub, client):
    stub.answers[("POST", "/api/v1/evaluations/5/finish")] = [(201, JOB)]
    stub.answers[("GET", "/api/v1/evaluations/5")] = [(200, {**EVALUATION, "status": "queued"})]
    evaluation = modelyard.Evaluation(client, EVALUATION)

    job = evaluation.finish()

    assert (job.id, job.kind) == (9, "evaluate")
    assert evaluation.status == "queued"


def test_metrics_reads_the_summary_again_with_per_label_inside(stub, client):
    done = {**EVALUATION, "status": "succeeded", "summary": {"mAP": 0.5}, "per_label": {"a": {}}}
    stub.answers[("GET", "/api/v1/evaluations/5")] = [(200, done)]
    evaluation = modelyard.Evaluation(client, EVALUATION)

    assert evaluation.metrics == {"mAP": 0.5, "per_label": {"a": {}}}
    assert evaluation.status == "succeeded"


def test_errors_reads_every_page_with_the_thresholds(stub, client):
    second = f"{stub.url}/api/v1/evaluations/5/errors?page=2"
    stub.answers[("GET", "/api/v1/evaluations/5/errors")] = [
        (200, {"results": [{"id": 1}], "next": second}),
        (200, {"results": [{"id": 2}], "next": None}),
    ]
    evaluation = modelyard.Evaluation(client, EVALUATION)

    rows = evaluation.errors(kind="fp", iou=0.75, min_confidence=0.3, label="a")

    assert rows == [{"id": 1}, {"id": 2}]
    asked = query(stub.requests[0])
    assert (asked["kind"], asked["iou"], asked["min_confidence"], asked["label"]) == (
        ["fp"],
        ["0.75"],
        ["0.3"],
        ["a"],
    )


def test_counts_asks_for_one_iou_and_confidence_pair(stub, client):
    stub.answers[("GET", "/api/v1/evaluations/5/counts")] = [(200, {"tp": 3, "fp": 1, "fn": 2})]
    evaluation = modelyard.Evaluation(client, EVALUATION)

    assert evaluation.counts(iou=0.5, min_confidence=0.2) == {"tp": 3, "fp": 1, "fn": 2}
    assert query(stub.requests[0]) == {"iou": ["0.5"], "min_confidence": ["0.2"]}
