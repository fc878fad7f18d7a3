"""A resnet state_dict trained offline, uploaded through the SDK, then evaluated, deployed
and predicted online, by a live server and a real worker."""

import pytest
from PIL import Image
from safetensors.torch import save_file

from evaluation.models import Evaluation
from tests.worker.builtin_adapters.callbacks import RecordingCallbacks
from tests.worker.builtin_adapters.colours import COLOURS, colour_data, colour_images
from tests.worker.image_models import colour_model
from worker.adapters.resnet import ResNetAdapter

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def offline_state_dict(folder) -> tuple:
    """What a user trains on a laptop: a torchvision resnet18's state_dict, nothing else."""
    adapter = ResNetAdapter({"image_size": 32, "batch_size": 16, "epochs": 4}, list(COLOURS))
    adapter.train(colour_data(), str(folder), RecordingCallbacks())
    save_file(adapter._net.state_dict(), str(folder / "model.safetensors"))
    return folder / "model.safetensors", adapter


def test_an_uploaded_state_dict_is_evaluated_deployed_and_predicted(
    celery_worker_process, live_server, owner, yard, tmp_path
):
    _, log = celery_worker_process
    model = colour_model(epochs=1)
    model.dataset.project = owner.project
    model.dataset.save()
    model.project = owner.project
    model.save()
    weights, offline = offline_state_dict(tmp_path)

    version = yard.models.get(model_id=model.id)
    version.artifacts.upload(weights)
    evaluation_job = version.evaluate(subset="validation").wait(timeout=120)
    version.deploy()
    png = tmp_path / "red.png"
    image = colour_images(1, seed=7).images[0]
    Image.fromarray(image).save(png)
    answer = _predict_when_ready(version, png)

    evaluation = Evaluation.objects.get(pk=evaluation_job.evaluation_id)
    assert evaluation.summary["accuracy"] >= 0.8, evaluation.summary
    expected = offline.predict([image])[0][0]
    assert answer[0]["label"] == expected["label"]
    assert answer[0]["confidence"] == pytest.approx(expected["confidence"], abs=1e-5)
    assert set(answer[0]["scores"]) == set(COLOURS)


def _predict_when_ready(version, png, attempts: int = 60):
    import time

    from modelyard import errors

    for _ in range(attempts):
        try:
            return version.predict(image=str(png))
        except errors.Conflict:  # still starting
            time.sleep(1)
    raise AssertionError("the deployment never became ready")
