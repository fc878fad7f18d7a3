"""/api/v1/evaluations: create, read, delete, and who may do what."""

import pytest

from data.models import Dataset
from evaluation.models import Evaluation
from evaluation.services import evaluation_compute
from jobs.models import Job
from tests.errors import error_of
from tests.evaluation.evaluations.generated import detection_set
from tests.factories import ModelVersionFactory, PackageFactory

ROLES = ["owner", "developer", "annotator", "viewer"]


@pytest.fixture
def stored(store):
    gts, dets = detection_set(seed=5, images=6, labels=2)
    return store(gts, dets, 6, 2)


@pytest.fixture
def computed(stored):
    evaluation_compute(evaluation=stored.evaluation)
    return stored.evaluation


def url(evaluation, action: str = "", slash: str = "") -> str:
    tail = f"/{action}" if action else ""
    return f"/api/v1/evaluations/{evaluation.id}{tail}{slash}"


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_viewer_reads_an_evaluation_with_its_metrics(cast, api_as, computed, slash):
    response = api_as(cast.viewer).get(url(computed, slash=slash))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "succeeded"
    assert {"mAP", "AP50", "AP75", "recall"} <= set(body["summary"])
    assert set(body["counts"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert body["confusion"]["labels"][-1] == "background"


def test_an_outsider_gets_404_and_an_anonymous_caller_401(cast, api_as, api_client, computed):
    assert api_client.get(url(computed)).status_code == 401
    response = api_as(cast.outsider).get(url(computed))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_list_holds_only_the_callers_projects(cast, api_as, stored):
    assert api_as(cast.outsider).get("/api/v1/evaluations").json()["results"] == []
    rows = api_as(cast.viewer).get("/api/v1/evaluations/").json()["results"]
    assert [row["id"] for row in rows] == [stored.evaluation.id]


def test_the_list_filters_by_model_and_dataset(cast, api_as, stored):
    client = api_as(cast.viewer)
    evaluation = stored.evaluation
    assert client.get(f"/api/v1/evaluations?model={evaluation.model_id}").json()["count"] == 1
    assert (
        client.get(f"/api/v1/evaluations?dataset={evaluation.dataset_id + 99}").json()["count"] == 0
    )
    assert client.get("/api/v1/evaluations?project=abc").status_code == 400


@pytest.fixture
def box_model(cast):
    return ModelVersionFactory(project=cast.project, package=PackageFactory(output_type="box"))


@pytest.fixture
def box_dataset(cast):
    return Dataset.objects.create(project=cast.project, name="parts", annotation_kind="box")


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 201), ("developer", 201), ("annotator", 403), ("viewer", 403)]
)
def test_developers_and_owners_create_evaluations(
    cast, api_as, box_model, box_dataset, role, expected
):
    body = {"model": box_model.id, "dataset": box_dataset.id, "subset": None, "name": "all"}
    response = api_as(cast.user(role)).post("/api/v1/evaluations", body, format="json")
    assert response.status_code == expected
    assert Evaluation.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["status"] == "created"
        assert response.json()["subset"] == ""


def test_an_outsider_cannot_create_on_a_model_they_cannot_see(cast, api_as, box_model, box_dataset):
    body = {"model": box_model.id, "dataset": box_dataset.id}
    response = api_as(cast.outsider).post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 404
    assert "model" in error_of(response)["fields"]


def test_it_refuses_a_dataset_of_the_other_kind(cast, api_as, box_model):
    dataset = Dataset.objects.create(project=cast.project, name="cls", annotation_kind="class")
    body = {"model": box_model.id, "dataset": dataset.id}
    response = api_as(cast.developer).post("/api/v1/evaluations", body, format="json")
    assert response.status_code == 400
    assert "dataset" in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("developer", 202), ("annotator", 403), ("viewer", 403), ("outsider", 404)],
)
def test_developers_finish_an_evaluation(
    cast, api_as, stored, role, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_as(cast.user(role)).post(url(stored.evaluation, "finish"))
    assert response.status_code == expected
    stored.evaluation.refresh_from_db()
    if expected == 202:
        job = Job.objects.get()
        assert response.json()["id"] == job.id
        assert (job.kind, job.queue, job.status) == ("evaluate", "inference", "queued")
        assert stored.evaluation.status == "queued"
        assert stored.evaluation.job == job
        assert len(callbacks) == 1
    else:
        assert stored.evaluation.status == "created"
        assert not Job.objects.exists()


def test_finishing_twice_is_a_conflict(cast, api_as, stored, django_capture_on_commit_callbacks):
    client = api_as(cast.developer)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url(stored.evaluation, "finish/")).status_code == 202
        response = client.post(url(stored.evaluation, "finish"))
    assert response.status_code == 409
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [("developer", 204), ("annotator", 403), ("viewer", 403), ("outsider", 404)],
)
def test_developers_delete_an_evaluation(cast, api_as, computed, role, expected):
    response = api_as(cast.user(role)).delete(url(computed))
    assert response.status_code == expected
    assert Evaluation.objects.filter(pk=computed.pk).exists() == (expected != 204)


@pytest.mark.parametrize("action", ["errors", "counts"])
def test_viewers_read_errors_and_counts_and_outsiders_do_not(cast, api_as, computed, action):
    assert api_as(cast.viewer).get(url(computed, action)).status_code == 200
    assert api_as(cast.viewer).get(url(computed, action, "/")).status_code == 200
    assert api_as(cast.outsider).get(url(computed, action)).status_code == 404


def test_the_counts_shown_with_an_evaluation_are_counts_at_its_thresholds(cast, api_as, computed):
    from evaluation.selectors import counts_at

    body = api_as(cast.viewer).get(url(computed)).json()
    expected = counts_at(computed, iou=computed.iou_threshold, min_confidence=0)
    assert body["counts"] == {key: value for key, value in expected.items() if key != "per_label"}


def test_deleting_an_evaluation_deletes_its_rows(cast, api_as, computed):
    from evaluation.models import EvalGroundTruth, EvalPrediction

    assert EvalPrediction.objects.exists()
    assert api_as(cast.developer).delete(url(computed, slash="/")).status_code == 204
    assert not EvalPrediction.objects.exists()
    assert not EvalGroundTruth.objects.exists()


def test_deleting_an_evaluation_deletes_the_review_marks_on_its_rows(cast, api_as, computed):
    from evaluation.models import EvalGroundTruth, EvalPrediction, ReviewMark

    prediction, truth = EvalPrediction.objects.first(), EvalGroundTruth.objects.first()
    ReviewMark.objects.create(evaluation=computed, prediction=prediction, verdict="ignore")
    ReviewMark.objects.create(evaluation=computed, ground_truth=truth, verdict="gt_wrong")
    assert api_as(cast.owner).delete(url(computed)).status_code == 204
    assert not ReviewMark.objects.exists()
