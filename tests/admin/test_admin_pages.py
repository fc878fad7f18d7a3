"""The Django admin opens every registered model: list, add, and one row's change page."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jobs.services import heartbeat_record
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    LabelFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def one_of_each(db):
    """At least one row of every model of the domains."""
    from registry.models import ModelTag, StatusChange
    from registry.services.tokens import token_create

    AnnotationFactory()
    artifact = ArtifactFactory()
    MembershipFactory()
    LabelFactory()
    ModelTag.objects.create(model=artifact.model, name="baseline")
    StatusChange.objects.create(model=artifact.model, to_status="created")
    token_create(user=UserFactory(), name="ci")
    heartbeat_record(hostname="worker@test")
    _a_pipeline_run_and_a_deployment()


def _a_pipeline_run_and_a_deployment():
    from jobs.models import Job
    from pipelines.models import Pipeline, PipelineRun
    from serving.models import Deployment

    model = ArtifactFactory().model
    dataset = model.dataset or LabelFactory().dataset
    pipeline = Pipeline.objects.create(
        project=model.project, name="nightly", dataset=dataset, champion=model
    )
    run = PipelineRun.objects.create(pipeline=pipeline, trigger="manual", champion=model)
    job = Job.objects.create(project=model.project, model=model, kind="train")
    run.steps.create(name="train", position=1, job=job)
    Deployment.objects.create(project=model.project, model=model)
    _an_mlflow_run(model)


def _an_mlflow_run(model):
    from tracking.models import Experiment, LoggedModel, Run

    experiment = Experiment.objects.create(project=model.project, name="sweep")
    run = Run.objects.create(experiment=experiment, model=model, tags={"team": "vision"})
    LoggedModel.objects.create(experiment=experiment, run=run, name="model")


def test_every_model_of_the_domains_is_registered_in_the_admin():
    assert set(REGISTERED) >= {
        ("registry", "project"),
        ("registry", "membership"),
        ("data", "dataset"),
        ("data", "label"),
        ("data", "item"),
        ("data", "annotation"),
        ("registry", "package"),
        ("registry", "modelversion"),
        ("registry", "modeltag"),
        ("registry", "statuschange"),
        ("registry", "artifact"),
        ("registry", "apitoken"),
        ("jobs", "workerheartbeat"),
        ("jobs", "job"),
        ("serving", "deployment"),
        ("pipelines", "pipeline"),
        ("pipelines", "pipelinerun"),
        ("tracking", "experiment"),
        ("tracking", "run"),
        ("tracking", "loggedmodel"),
    }


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_the_list_add_and_change_pages_open(staff_client, one_of_each, app, model):
    changelist = staff_client.get(reverse(f"admin:{app}_{model}_changelist"))
    add = staff_client.get(reverse(f"admin:{app}_{model}_add"))

    assert changelist.status_code == 200
    assert add.status_code in (200, 403)  # 403 where adding by hand is not allowed
    row = changelist.context["cl"].result_list.first()
    if row is not None:
        change = staff_client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk]))
        assert change.status_code == 200
