import pytest
from modelyard import errors

from jobs.models import Job, JobStatus
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def model_row(owner):
    return ModelVersionFactory(project=owner.project)


def job_row(model_row, **fields) -> Job:
    return Job.objects.create(kind="train", model=model_row, project=model_row.project, **fields)


def test_wait_raises_job_failed_with_the_servers_error(yard, model_row):
    row = job_row(model_row, status=JobStatus.FAILED, error="boom", progress=40)

    with pytest.raises(errors.JobFailed) as raised:
        yard.jobs.get(row.id).wait(poll=0.01, progress=False)

    assert raised.value.message == "boom"
    assert raised.value.job.id == row.id
    assert raised.value.job.status == "failed"


def test_wait_returns_the_job_when_it_succeeded(yard, model_row):
    row = job_row(model_row, status=JobStatus.SUCCEEDED, progress=100, message="done")

    job = yard.jobs.get(row.id).wait(poll=0.01)

    assert (job.status, job.progress, job.name) == ("succeeded", 100, f"train #{row.id}")


def test_wait_raises_job_cancelled_for_a_cancelled_job(yard, model_row):
    row = job_row(model_row, status=JobStatus.CANCELLED)

    with pytest.raises(errors.JobCancelled):
        yard.jobs.get(row.id).wait(poll=0.01, progress=False)


def test_wait_gives_up_after_its_timeout_and_the_job_goes_on(yard, model_row):
    row = job_row(model_row, status=JobStatus.QUEUED)

    with pytest.raises(errors.JobTimeout):
        yard.jobs.get(row.id).wait(timeout=0.3, poll=0.05, progress=False)

    assert Job.objects.get(pk=row.id).status == JobStatus.QUEUED


def test_cancel_ends_a_queued_job(yard, model_row):
    row = job_row(model_row, status=JobStatus.QUEUED)

    job = yard.jobs.get(row.id).cancel()

    assert job.status == "cancelled"
    assert Job.objects.get(pk=row.id).status == JobStatus.CANCELLED


def test_cancelling_a_finished_job_raises_conflict(yard, model_row):
    row = job_row(model_row, status=JobStatus.SUCCEEDED)

    with pytest.raises(errors.Conflict):
        yard.jobs.get(row.id).cancel()


def test_a_second_train_while_one_is_queued_raises_conflict(yard, model_row):
    job_row(model_row, status=JobStatus.QUEUED)
    model = yard.models.get(model_id=model_row.id)

    with pytest.raises((errors.Conflict, errors.BadRequest)) as raised:
        model.train()

    assert raised.value.message
