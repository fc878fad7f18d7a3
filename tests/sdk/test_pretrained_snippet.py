"""A public pretrained model from a user's script as written (ids as strings), against a live
server and a real Celery worker: cloned, evaluated and trained, and evaluated itself."""

import modelyard as dl
import pytest

from data.services import datasets as data_services
from demo.digits import DIGIT_LABELS, digits_zip
from evaluation.models import Evaluation
from jobs.models import Job
from registry.models import ModelVersion
from tests.digits import public_digits_mlp
from tests.factories import ProjectFactory
from tests.sdk.conftest import member_of
from worker.inline import pretrain

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def digits_dataset(project, user, labels=DIGIT_LABELS):
    """The 1,797 digits, split 70/15/15 with seed 0, under the given label map."""
    dataset = data_services.dataset_create(project=project, name="digits", user=user, labels=labels)
    archive = digits_zip()
    archive.name = "digits.zip"
    data_services.items_import_zip(dataset=dataset, archive=archive, user=user)
    data_services.items_split(dataset=dataset, train=70, validation=15, test=15, seed=0)
    return dataset


@pytest.fixture
def pretrained(transactional_db):
    """digits-mlp's public pretrained version with its weights, as load_demo makes it."""
    model = public_digits_mlp()
    lab = member_of(ProjectFactory(name="Lab"), "lab")
    pretrain(model=model, dataset=digits_dataset(lab.project, lab.user), say=lambda line: None)
    return model


def test_the_snippet_clones_evaluates_and_trains_the_pretrained_model(
    celery_worker_process, live_server, owner, pretrained
):
    project = owner.project
    dataset = digits_dataset(project, owner.user)
    dl.login(live_server.url, owner.token, retries=0)

    package = dl.packages.get(package_name="digits-mlp")
    pretrained_model = package.models.get(model_name="pretrained-digits-mlp")
    model = pretrained_model.clone(
        model_name="my-model", description="fine-tuned", project_id=str(project.id)
    )
    dataset = dl.datasets.get(dataset_id=str(dataset.id))
    evaluated = model.evaluate(dataset=dataset).wait(timeout=120, poll=0.2, progress=False)
    with pytest.raises(dl.errors.BadRequest, match=r"pass train\(dataset=\.\.\.\)"):
        model.train()
    trained = model.train(dataset=dataset).wait(timeout=300, poll=0.5, progress=False)

    evaluation = model.evaluations.get(evaluation_id=evaluated.evaluation_id)
    # The clone shares the pretrained weights: ~0.9 on these digits (chance is 0.1).
    assert evaluation.metrics["accuracy"] >= 0.8
    assert trained.status == "succeeded"
    assert (model.refresh().status, model.dataset) == ("trained", dataset.id)
    assert ModelVersion.objects.get(pk=model.id).parent == pretrained


def test_the_public_model_is_evaluated_in_the_datasets_project_labels_matched_by_name(
    celery_worker_process, live_server, owner, pretrained
):
    # The label map in another order: predictions must reach the labels of the same name.
    dataset = digits_dataset(owner.project, owner.user, labels=DIGIT_LABELS[::-1])
    outsider = member_of(ProjectFactory(name="Elsewhere"), "olga")
    dl.login(live_server.url, owner.token, retries=0)

    public = dl.packages.get(package_name="digits-mlp").models.get(
        model_name="pretrained-digits-mlp"
    )
    job = public.evaluate(dataset=dl.datasets.get(dataset_id=str(dataset.id)))
    job.wait(timeout=120, poll=0.2, progress=False)

    evaluation = dl.evaluations.get(evaluation_id=job.evaluation_id)
    assert evaluation.metrics["accuracy"] >= 0.8
    assert set(evaluation.metrics["per_label"]) == set(DIGIT_LABELS)
    assert (evaluation.project, evaluation.model, evaluation.mode) == (
        owner.project.id,
        pretrained.id,
        "online",
    )
    assert Job.objects.get(pk=job.id).project == owner.project
    assert [one.id for one in dl.evaluations.list(project=owner.project.id)] == [evaluation.id]
    theirs = dl.Client(live_server.url, outsider.token, retries=0)
    assert theirs.models.get(model_id=pretrained.id).evaluations.list() == []
    with pytest.raises(dl.errors.NotFound):
        theirs.evaluations.get(evaluation_id=evaluation.id)
    assert Evaluation.objects.filter(project=outsider.project).count() == 0
