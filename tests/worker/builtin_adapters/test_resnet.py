"""The `resnet` package in this process: it learns, saves, reloads, transfers, resumes."""

import logging
import pickle
import shutil

import numpy as np
import pytest
import torch
import torchvision
from modelyard import StopTraining, TrainingData
from modelyard.adapter import LOGGER_NAME
from safetensors.torch import save_file

from tests.worker.builtin_adapters.callbacks import RecordingCallbacks
from tests.worker.builtin_adapters.colours import COLOURS, colour_data, colour_images
from worker.adapters import torch_training
from worker.adapters.resnet import ResNetAdapter

QUICK = {"image_size": 32, "batch_size": 16, "epochs": 4, "learning_rate": 0.01}


class CheckpointKeeper(RecordingCallbacks):
    """Keeps a copy of every checkpoint folder the adapter hands over."""

    def __init__(self, root, **kwargs) -> None:
        super().__init__(**kwargs)
        self.root, self.kept = root, {}

    def checkpoint(self, path: str, epoch: int) -> None:
        self.kept[epoch] = shutil.copytree(path, self.root / f"epoch_{epoch}")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resnet")
    adapter, callbacks = ResNetAdapter(QUICK), RecordingCallbacks()
    adapter.train(colour_data(), str(folder), callbacks)
    adapter.save(str(folder))
    return adapter, callbacks, folder


def notes_of(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == LOGGER_NAME)


def test_resnet_learns_the_colours_well_above_chance(trained):
    adapter, callbacks, _ = trained
    assert callbacks.steps == [1, 2, 3, 4]
    assert set(callbacks.last) == {"loss/train", "loss/val", "accuracy/val", "lr"}
    assert callbacks.last["accuracy/val"] >= 0.9  # chance is 1/3
    assert callbacks.logged[0][1]["lr"] == pytest.approx(0.01)
    assert callbacks.last["lr"] < 0.01  # the cosine schedule lowered it


def test_resnet_saves_safe_weights_that_reload_to_the_same_predictions(trained):
    adapter, _, folder = trained
    assert sorted(path.name for path in folder.iterdir()) == ["model.json", "model.safetensors"]
    images = list(colour_images(6, seed=2).images)
    reloaded = ResNetAdapter({})
    reloaded.load(str(folder))
    before, after = adapter.predict(images), reloaded.predict(images)
    assert reloaded.labels == list(COLOURS)
    assert [p[0]["label"] for p in after] == [p[0]["label"] for p in before]
    assert [p[0]["confidence"] for p in after] == pytest.approx(
        [p[0]["confidence"] for p in before], abs=1e-6
    )
    scores = after[0][0]["scores"]
    assert set(scores) == set(COLOURS)
    assert sum(scores.values()) == pytest.approx(1, abs=1e-5)


def test_a_clone_with_other_labels_keeps_the_backbone_and_gets_a_new_head(trained, caplog):
    _, _, folder = trained
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    clone = ResNetAdapter(QUICK, labels=["warm", "cold"])
    clone.load(str(folder))
    data = colour_data(train=12, validation=6)
    for subset in (data.train, data.validation):
        subset.annotations = [
            [{"label": "warm" if t[0]["label"] == "red" else "cold"}] for t in subset.annotations
        ]
    clone.train(
        TrainingData(data.train, data.validation, ["warm", "cold"]), "unused", RecordingCallbacks()
    )

    notes = notes_of(caplog)
    assert "tensors of the backbone; new for the 2 labels: fc.weight, fc.bias" in notes
    assert clone.predict(list(data.validation.images[:1]))[0][0]["label"] in ("warm", "cold")


def test_a_bare_torchvision_state_dict_loads_from_pt_and_safetensors(tmp_path):
    net = torchvision.models.resnet18(weights=None, num_classes=3)
    torch.save(net.state_dict(), tmp_path / "weights.pth")
    save_file(net.state_dict(), str(tmp_path / "other.safetensors"))
    image = colour_images(1).images[0]
    with torch.no_grad():
        expected = torch.softmax(net.eval()(_tensor(image, 64)), dim=1)[0]
    for name in ("weights.pth", "other.safetensors"):
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        shutil.copy(tmp_path / name, folder / name)
        adapter = ResNetAdapter({"architecture": "resnet18"}, labels=["a", "b", "c"])
        adapter.load(str(folder))
        found = adapter.predict([image])[0][0]
        assert found["scores"]["b"] == pytest.approx(float(expected[1]), abs=1e-5)


class Payload:
    def __reduce__(self):
        return (print, ("this would run on load",))


def test_a_pickle_with_code_in_it_is_refused_not_run(tmp_path):
    (tmp_path / "model.pt").write_bytes(pickle.dumps({"fc.weight": Payload()}))
    adapter = ResNetAdapter({}, labels=["a"])
    with pytest.raises(ValueError, match="cannot be read as a state_dict safely"):
        adapter.load(str(tmp_path))


def test_weights_of_another_architecture_are_refused_naming_a_tensor(tmp_path):
    torch.save(torchvision.models.resnet34(weights=None).state_dict(), tmp_path / "w.pt")
    adapter = ResNetAdapter({"architecture": "resnet18"}, labels=["a"])
    with pytest.raises(ValueError, match="do not fit the architecture: 96 tensors .* 'layer1.2"):
        adapter.load(str(tmp_path))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("architecture", "resnet101", "'architecture' must be one of 'resnet18'"),
        ("optimizer", "adam", "'optimizer' must be one of 'sgd', 'adamw'"),
        ("lr_schedule", "linear", "'lr_schedule' must be one of"),
        ("augment", "yes", "'augment' must be one of False, True"),
        ("image_size", 8, "'image_size' must be an integer from 16"),
        ("device", "tpu", "'device' must be 'auto', 'cpu'"),
    ],
)
def test_a_wrong_configuration_value_is_refused_naming_its_key(key, value, message):
    with pytest.raises(ValueError, match=message):
        ResNetAdapter({key: value})


def test_device_auto_takes_the_cpu_here_and_a_missing_cuda_is_an_error(trained):
    adapter, _, _ = trained
    assert adapter.environment["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="this worker has no CUDA device"):
            ResNetAdapter({**QUICK, "device": "cuda"}).train(
                colour_data(6, 3), "x", RecordingCallbacks()
            )


def test_a_stopped_training_resumes_from_its_checkpoint_as_if_never_stopped(tmp_path):
    whole = ResNetAdapter(QUICK)
    whole.train(colour_data(), "unused", RecordingCallbacks())

    first = ResNetAdapter(QUICK)
    keeper = CheckpointKeeper(tmp_path, stop_after=2)
    with pytest.raises(StopTraining):
        first.train(colour_data(), "unused", keeper)
    assert sorted(keeper.kept) == [1, 2]
    resumed, callbacks = ResNetAdapter(QUICK), RecordingCallbacks()
    data = colour_data()
    data.resume = str(keeper.kept[2])
    resumed.train(data, "unused", callbacks)

    assert callbacks.steps == [2, 3, 4]  # epoch 2 again (the runner drops repeats), then on
    assert callbacks.logged[0][1] == keeper.logged[1][1]
    image = list(colour_images(3, seed=5).images)
    assert _scores(resumed, image) == pytest.approx(_scores(whole, image), abs=1e-4)


def _scores(adapter, images) -> list[float]:
    return [p[0]["confidence"] for p in adapter.predict(images)]


def _tensor(image: np.ndarray, size: int) -> torch.Tensor:
    from torchvision.transforms.v2 import functional as F

    tensor = torch.from_numpy(image.copy()).permute(2, 0, 1).float() / 255
    tensor = F.resize(tensor, [size, size])
    return F.normalize(tensor, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])[None]


class CancelledMidEpoch(RecordingCallbacks):
    def should_stop(self) -> bool:
        return bool(self.progress_reports)


def test_progress_comes_within_an_epoch_and_a_cancel_stops_it_there(monkeypatch):
    monkeypatch.setattr(torch_training, "PROGRESS_EVERY_SECONDS", 0)
    callbacks = CancelledMidEpoch()

    with pytest.raises(StopTraining, match="cancelled during epoch 1"):
        ResNetAdapter({**QUICK, "batch_size": 8}).train(colour_data(), "unused", callbacks)

    percent, message = callbacks.progress_reports[0]
    assert 0 < percent < 25
    assert message == "epoch 1 of 4: 17%"
    assert callbacks.logged == []
