"""The SDK guide's opening snippet, line by line, against a live server and a real Celery worker."""

import modelyard as yard
import pytest

from demo.digits import DIGIT_LABELS, digits_zip
from tests.digits import public_digits_mlp

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def digits_mlp(transactional_db):
    """The built-in package and its pretrained version, as load_demo makes them."""
    return public_digits_mlp()


def test_the_design_snippet_clones_the_pretrained_model_and_trains_it(
    celery_worker_process, live_server, owner, digits_mlp, tmp_path
):
    archive = tmp_path / "digits.zip"
    archive.write_bytes(digits_zip().getvalue())

    yard.login(live_server.url, owner.token)
    project = yard.projects.get(project_name="Acme")
    dataset = project.datasets.create(dataset_name="digits", labels=DIGIT_LABELS)
    dataset.import_zip(archive)
    dataset.split(train=70, validation=15, test=15, seed=0)
    package = yard.packages.get(package_name="digits-mlp")
    pretrained = package.models.get(model_name="pretrained-digits-mlp")
    model = pretrained.clone(
        model_name="my first exp",
        configuration={"learning_rate": 0.01, "epochs": 3},
        project_id=project.id,
        dataset=dataset,
    )
    job = model.train().wait(timeout=300, poll=0.5)

    assert job.status == "succeeded"
    assert model.refresh().status == "trained"
    assert {"loss/train", "accuracy/val"} <= {series["name"] for series in model.metrics()}
    assert model.artifacts.list()
