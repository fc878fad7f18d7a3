"""Finishing an offline evaluation runs the metrics in a real worker."""

import pytest

from evaluation.models import Evaluation
from jobs.models import Job
from tests.evaluation.evaluations.generated import coco_eval, detection_set
from tests.workers import wait_for


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_evaluation_is_finished_by_a_worker(cast, api_as, store, celery_worker_process):
    _, log = celery_worker_process
    gts, dets = detection_set(seed=12, images=8, labels=2)
    stored = store(gts, [], 8, 2)
    client = api_as(cast.developer)
    base = f"/api/v1/evaluations/{stored.evaluation.id}"
    rows = [
        {
            "item": f"img_{d['image_id']:05d}.png",
            "label": str(d["category_id"]),
            "confidence": d["score"],
            "box": d["bbox"],
        }
        for d in dets
    ]
    assert client.post(f"{base}/predictions", {"predictions": rows}, format="json").json() == {
        "accepted": len(dets)
    }
    job_id = client.post(f"{base}/finish").json()["id"]

    def done():
        return Job.objects.filter(pk=job_id, status__in=["succeeded", "failed"]).first()

    job = wait_for(done, timeout=90, log=log)
    assert job.status == "succeeded", job.error
    assert job.progress == 100
    evaluation = Evaluation.objects.get(pk=stored.evaluation.pk)
    assert evaluation.status == "succeeded"
    assert evaluation.summary["mAP"] == pytest.approx(coco_eval(gts, dets, 8, 2).stats[0], abs=1e-6)
    body = client.get(base).json()
    assert body["job"] == job_id
    assert body["counts"]["tp"] > 0


@pytest.mark.django_db(transaction=True)
def test_a_failing_computation_fails_the_job_and_the_evaluation(cast, store, monkeypatch):
    from evaluation import compute as compute_task
    from evaluation.services import evaluation_finish
    from worker.evaluating import run_compute_job

    gts, dets = detection_set(seed=13, images=3, labels=2)
    stored = store(gts, dets, 3, 2)
    # Run the job here rather than in a worker: nothing goes to the broker.
    monkeypatch.setattr("config.celery.app.send_task", lambda *args, **kwargs: None)
    job = evaluation_finish(evaluation=stored.evaluation, user=cast.developer)

    def broken(*args, **kwargs):
        raise ValueError("no memory left")

    monkeypatch.setattr(compute_task, "match", broken)
    run_compute_job(job.id, worker="here")
    job.refresh_from_db()
    stored.evaluation.refresh_from_db()
    assert job.status == "failed"
    assert "no memory left" in job.error
    assert stored.evaluation.status == "failed"
    assert "no memory left" in stored.evaluation.error
