"""project.pipelines and Pipeline.run / pause / resume / runs through the SDK."""

import pytest
from django_celery_beat.models import PeriodicTask
from modelyard import errors

from pipelines.models import PipelineRun
from registry.models import ModelStatus
from tests.factories import ArtifactFactory, DatasetFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def champion(owner):
    dataset = DatasetFactory(project=owner.project, name="digits")
    model = ModelVersionFactory(
        project=owner.project, name="v1", dataset=dataset, status=ModelStatus.TRAINED
    )
    ArtifactFactory(model=model)
    return model


def test_a_pipeline_is_created_run_paused_and_listed(yard, owner, champion):
    project = yard.projects.get(project_id=owner.project.id)

    pipeline = project.pipelines.create(
        "nightly", dataset=champion.dataset_id, champion=champion.id, min_improvement=0.01
    )
    run = pipeline.run()

    assert pipeline.min_improvement == 0.01
    assert run.status == "queued"
    assert pipeline.run() is None  # one at a time: this one waits
    assert [r.id for r in pipeline.runs()] == [run.id]
    assert run.refresh().data_checksum == PipelineRun.objects.get().data_checksum
    assert pipeline.pause().paused is True
    assert pipeline.resume().paused is False
    assert project.pipelines.get(pipeline_name="nightly") == pipeline
    assert [p.name for p in project.pipelines.list()] == ["nightly"]
    assert run.cancel().status == "cancelled"


def test_a_bad_rule_raises_naming_the_field(yard, owner, champion):
    project = yard.projects.get(project_id=owner.project.id)
    with pytest.raises(errors.BadRequest) as error:
        project.pipelines.create("n", dataset=champion.dataset_id, champion=champion.id, metric="")
    assert "metric" in str(error.value)


def test_a_scheduled_pipeline_is_deleted_once_its_run_is_cancelled(yard, owner, champion):
    project = yard.projects.get(project_id=owner.project.id)
    pipeline = project.pipelines.create(
        "nightly",
        dataset=champion.dataset_id,
        champion=champion.id,
        trigger="schedule",
        schedule="0 3 * * *",
    )
    assert PeriodicTask.objects.filter(name=f"pipeline {pipeline.id}").exists()
    run = pipeline.run()

    with pytest.raises(errors.Conflict):
        pipeline.delete()
    run.cancel()
    pipeline.delete()

    assert project.pipelines.list() == []
    assert not PeriodicTask.objects.filter(name=f"pipeline {pipeline.id}").exists()
