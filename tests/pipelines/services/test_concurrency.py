"""Triggers that fire at the same moment start one run; the others wait for it."""

import threading

import pytest
from django.db import connection, connections

from pipelines.models import Pipeline, PipelineRun
from pipelines.services.pipelines import pipeline_create, pipeline_trigger
from registry.models import ModelStatus
from tests.factories import ArtifactFactory, DatasetFactory, ModelVersionFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_triggers_start_one_run():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; the row locks are PostgreSQL's to prove")
    model = ModelVersionFactory(status=ModelStatus.TRAINED)
    ArtifactFactory(model=model)
    dataset = DatasetFactory(project=model.project)
    pipeline = pipeline_create(
        project=model.project, user=UserFactory(), name="p", dataset=dataset, champion=model
    )
    barrier = threading.Barrier(8)

    def trigger():
        barrier.wait()
        try:
            pipeline_trigger(pipeline=Pipeline.objects.get(pk=pipeline.pk), trigger="manual")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=trigger) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert PipelineRun.objects.filter(pipeline=pipeline).count() == 1
    pipeline.refresh_from_db()
    assert pipeline.pending_trigger == "manual"
