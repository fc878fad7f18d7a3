"""Files a run logs through mlflow become the version's artifacts, at the same paths."""

import hashlib
import json
from pathlib import Path

import mlflow
import pytest
import requests
from mlflow import MlflowClient

from tracking.models import Run

pytestmark = pytest.mark.django_db(transaction=True)


def stored(run_id: str) -> dict[str, bytes]:
    model = Run.objects.get(run_id=run_id).model
    return {artifact.name: artifact.file.read() for artifact in model.artifacts.all()}


def test_logged_files_are_stored_at_their_paths_and_come_back(logged_in, tmp_path):
    weights = tmp_path / "weights.bin"
    weights.write_bytes(bytes(range(256)) * 1000)
    mlflow.set_experiment("Vision/files")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(weights))
        mlflow.log_artifact(str(weights), artifact_path="checkpoints/epoch-3")
        mlflow.log_dict({"labels": ["bolt", "nut"]}, "config/labels.json")
        mlflow.log_text("a note", "notes.txt")
    client = MlflowClient()

    files = stored(run.info.run_id)
    root = [(f.path, f.is_dir) for f in client.list_artifacts(run.info.run_id)]
    deeper = [
        (f.path, f.file_size) for f in client.list_artifacts(run.info.run_id, "checkpoints/epoch-3")
    ]
    back = client.download_artifacts(
        run.info.run_id, "checkpoints/epoch-3/weights.bin", str(tmp_path / "back")
    )

    assert set(files) == {
        "weights.bin",
        "checkpoints/epoch-3/weights.bin",
        "config/labels.json",
        "notes.txt",
    }
    assert files["weights.bin"] == weights.read_bytes()
    assert json.loads(files["config/labels.json"]) == {"labels": ["bolt", "nut"]}
    assert files["notes.txt"] == b"a note"
    assert root == [
        ("checkpoints", True),
        ("config", True),
        ("notes.txt", False),
        ("weights.bin", False),
    ]
    assert deeper == [("checkpoints/epoch-3/weights.bin", 256_000)]
    assert Path(back).read_bytes() == weights.read_bytes()
    artifact = Run.objects.get(run_id=run.info.run_id).model.artifacts.get(name="weights.bin")
    assert artifact.sha256 == hashlib.sha256(weights.read_bytes()).hexdigest()


def test_logging_a_file_again_at_the_same_path_replaces_it(logged_in, tmp_path):
    mlflow.set_experiment("Vision/files")
    with mlflow.start_run() as run:
        mlflow.log_text("first", "notes.txt")
        mlflow.log_text("second", "notes.txt")

    assert stored(run.info.run_id) == {"notes.txt": b"second"}


def test_a_file_name_with_a_path_trick_is_refused_and_nothing_stored(logged_in, tmp_path):
    mlflow.set_experiment("Vision/files")
    with mlflow.start_run() as run:
        odd = tmp_path / "bad\x07name.txt"
        odd.write_text("x")
        with pytest.raises(requests.HTTPError) as refused:
            mlflow.log_artifact(str(odd))

    # The artifact client raises the HTTP error itself; the body is MLflow's error form.
    assert refused.value.response.status_code == 400
    assert refused.value.response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "not a plain file name" in refused.value.response.json()["message"]
    assert stored(run.info.run_id) == {}
