import hashlib
import os

import pytest
from modelyard import errors

from registry.models import Artifact
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def model(yard, owner):
    return yard.models.get(model_id=ModelVersionFactory(project=owner.project).id)


def test_an_artifact_makes_the_round_trip_byte_for_byte(model, tmp_path):
    weights = tmp_path / "weights.npz"
    weights.write_bytes(os.urandom(3 * 1024 * 1024 + 17))

    artifact = model.artifacts.upload(weights)
    saved = model.artifacts.download("weights.npz", tmp_path / "copy.npz")

    assert artifact.size == weights.stat().st_size
    assert artifact.sha256 == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert saved.read_bytes() == weights.read_bytes()


def test_upload_takes_a_name_and_list_shows_it(model, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("accuracy 0.9")

    model.artifacts.upload(report, name="report.txt")

    assert [artifact.name for artifact in model.artifacts.list()] == ["report.txt"]
    assert Artifact.objects.get(model_id=model.id).name == "report.txt"


def test_download_into_a_folder_keeps_the_name(model, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "w.bin").write_bytes(b"\x00\x01weights")
    artifact = model.artifacts.upload(tmp_path / "in" / "w.bin")

    saved = model.artifacts.download(artifact, tmp_path / "out")

    assert saved == tmp_path / "out" / "w.bin"
    assert saved.read_bytes() == b"\x00\x01weights"


def test_uploading_a_name_twice_is_refused_unless_replace(model, tmp_path):
    path = tmp_path / "w.bin"
    path.write_bytes(b"one")
    model.artifacts.upload(path)
    path.write_bytes(b"two")

    with pytest.raises(errors.ModelyardError):
        model.artifacts.upload(path)
    model.artifacts.upload(path, replace=True)

    assert model.artifacts.get("w.bin").size == 3
    assert Artifact.objects.get(model_id=model.id).file.read() == b"two"


def test_a_missing_artifact_raises_not_found(model, tmp_path):
    with pytest.raises(errors.NotFound):
        model.artifacts.download("nothing.bin", tmp_path)


def test_a_destination_written_with_a_slash_is_a_folder_made_for_the_download(model, tmp_path):
    (tmp_path / "weights.npz").write_bytes(os.urandom(1024))
    model.artifacts.upload(tmp_path / "weights.npz")

    saved = model.artifacts.download("weights.npz", f"{tmp_path}/copies/")

    assert saved == tmp_path / "copies" / "weights.npz"
    assert saved.read_bytes() == (tmp_path / "weights.npz").read_bytes()
