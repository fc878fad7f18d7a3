import pytest
from django.core.files.storage import default_storage
from django_celery_beat.models import PeriodicTask

from data.models import Dataset, Item
from pipelines.models import Pipeline, PipelineRun, RunStatus
from registry.models import ModelVersion, Project
from tests.factories import ArtifactFactory, ItemFactory, ModelVersionFactory
from tests.pipelines.pages.test_pipeline_pages import build_champion, make_pipeline
from tests.pipelines.pages.test_pipeline_runs import finished_run

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_says_what_goes_with_the_project(client, cast):
    ItemFactory(dataset__project=cast.project)
    ModelVersionFactory(project=cast.project)
    client.force_login(cast.owner)

    response = client.get(f"/projects/{cast.project.id}/delete/")

    assert b"1 dataset with" in response.content
    assert b"1 model version with" in response.content
    assert b"0 pipelines with their runs and schedules" in response.content


def test_deleting_removes_rows_and_stored_files(client, cast):
    item = ItemFactory(dataset__project=cast.project)
    artifact = ArtifactFactory(model__project=cast.project)
    client.force_login(cast.owner)

    response = client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "Acme"})

    assert response.status_code == 302
    assert not Project.objects.filter(pk=cast.project.pk).exists()
    assert Dataset.objects.count() == Item.objects.count() == 0
    assert not ModelVersion.objects.filter(project_id=cast.project.pk).exists()
    assert not default_storage.exists(item.file.name)
    assert not default_storage.exists(artifact.file.name)


@pytest.mark.django_db  # rows only: no stored file to wait for
def test_deleting_takes_its_pipelines_and_their_schedules_along(client, cast):
    champion = build_champion(cast.project, cast.developer)
    pipeline = make_pipeline(champion, trigger="schedule", schedule="0 3 * * *")
    run = finished_run(pipeline, challenger=0.9, champion=0.8)
    assert run.status == RunStatus.PROMOTED  # the challenger is now the champion
    client.force_login(cast.owner)

    response = client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "Acme"})

    assert response.status_code == 302
    assert not Pipeline.objects.exists()
    assert not PipelineRun.objects.exists()
    assert not ModelVersion.objects.filter(project_id=cast.project.pk).exists()
    assert not PeriodicTask.objects.filter(name=f"pipeline {pipeline.id}").exists()


def test_it_keeps_the_project_when_the_typed_name_is_wrong(client, cast):
    client.force_login(cast.owner)

    client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "acme"})

    assert Project.objects.filter(pk=cast.project.pk).exists()


def test_a_developer_cannot_delete_the_project(client, cast):
    client.force_login(cast.developer)

    response = client.post(f"/projects/{cast.project.id}/delete/confirm/", {"confirm_name": "Acme"})

    assert response.status_code == 403
    assert Project.objects.filter(pk=cast.project.pk).exists()
