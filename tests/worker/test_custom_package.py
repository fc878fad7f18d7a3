"""A team's own package: pip-installed where the worker runs, checked, then trained there."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from jobs import services as job_services
from jobs.models import JobStatus
from registry.models import Artifact, Package
from registry.services.package_checks import package_check_request
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
    UserFactory,
)
from tests.images import png_bytes
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = pytest.mark.worker

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_package"


@pytest.fixture
def worker_with_the_example(transactional_db, tmp_path, media_in_tmp):
    """A worker whose environment has the example installed (pip --target on its path)."""
    site, source = tmp_path / "site", tmp_path / "source"
    # A copy, so the build leaves nothing behind in the repository.
    shutil.copytree(EXAMPLE, source)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    process, log = start_worker(
        tmp_path / "worker.log", media_in_tmp, extra_env={"PYTHONPATH": str(site)}
    )
    yield log
    stop_worker(process)


def job_active(job) -> bool:
    job.refresh_from_db()
    return job.is_active


def bright_and_dark_dataset():
    dataset = DatasetFactory()
    labels = {name: LabelFactory(dataset=dataset, name=name) for name in ("dark", "bright")}
    for index in range(8):
        name = "bright" if index % 2 else "dark"
        shade = 230 if name == "bright" else 20
        item = ItemFactory(
            dataset=dataset,
            subset="train" if index < 6 else "validation",
            file=ContentFile(png_bytes(16, 16, (shade, shade, shade)), name=f"{index}.png"),
        )
        AnnotationFactory(item=item, label=labels[name])
    return dataset


def test_the_example_package_is_found_by_its_entry_point_and_trains(worker_with_the_example):
    log = worker_with_the_example
    dataset = bright_and_dark_dataset()
    package = PackageFactory(
        project=dataset.project, adapter="nearest-centroid", default_configuration={"size": 4}
    )
    package_check_request(package=package)
    wait_for(lambda: Package.objects.get(pk=package.pk).check_status != "unknown", log=log)
    package.refresh_from_db()
    assert package.check_status == "ok", package.check_message
    model = ModelVersionFactory(
        project=dataset.project, package=package, dataset=dataset, labels=["dark", "bright"]
    )

    job = job_services.model_train(model=model, user=UserFactory())

    wait_for(lambda: not job_active(job), log=log)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert set(Artifact.objects.filter(model=model).values_list("name", flat=True)) == {
        "centroids.npz",
        "labels.json",
    }
    assert model.metric_series.get(name="accuracy/val").last_value == 1.0


def test_a_package_the_worker_cannot_import_is_marked_and_refused(worker_with_the_example):
    log = worker_with_the_example
    dataset = bright_and_dark_dataset()
    package = PackageFactory(project=dataset.project, adapter="nearest_centroid.nope:Missing")

    package_check_request(package=package)

    wait_for(lambda: Package.objects.get(pk=package.pk).check_status != "unknown", log=log)
    package.refresh_from_db()
    assert package.check_status == "failed"
    assert "cannot import nearest_centroid.nope" in package.check_message
    model = ModelVersionFactory(project=dataset.project, package=package, dataset=dataset)
    with pytest.raises(job_services.JobConflict, match="cannot import the adapter"):
        job_services.model_train(model=model, user=UserFactory())
