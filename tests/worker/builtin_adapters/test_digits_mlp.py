import json

import numpy as np
import pytest
from modelyard import StopTraining, Subset, TrainingData
from PIL import Image

from demo.digits import DIGIT_LABELS
from demo.load import BUILT_INS
from tests.worker.builtin_adapters.callbacks import RecordingCallbacks
from tests.worker.builtin_adapters.data import digits_data, subset_head
from worker.adapters.digits_mlp import DigitsMLPAdapter

DEFAULTS = next(b.configuration for b in BUILT_INS if b.name == "digits-mlp")


@pytest.fixture(scope="module")
def data() -> TrainingData:
    return digits_data()


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory) -> tuple[DigitsMLPAdapter, RecordingCallbacks]:
    adapter = DigitsMLPAdapter(configuration=DEFAULTS, labels=DIGIT_LABELS)
    callbacks = RecordingCallbacks()
    adapter.train(data, str(tmp_path_factory.mktemp("out")), callbacks)
    return adapter, callbacks


def _accuracy(adapter: DigitsMLPAdapter, subset: Subset) -> float:
    predictions = adapter.predict(subset.images)
    truths = [annotations[0]["label"] for annotations in subset.annotations]
    return float(np.mean([p[0]["label"] == t for p, t in zip(predictions, truths, strict=True)]))


def test_it_classifies_the_validation_digits_well(trained, data):
    adapter, callbacks = trained
    # Measured 0.959 with the package defaults (20 epochs, learning rate 0.001).
    assert callbacks.last["accuracy/val"] >= 0.93
    assert _accuracy(adapter, data.validation) == pytest.approx(callbacks.last["accuracy/val"])


def test_it_logs_loss_and_accuracy_every_epoch(trained):
    _, callbacks = trained
    assert callbacks.steps == list(range(1, DEFAULTS["epochs"] + 1))
    for _, metrics in callbacks.logged:
        assert {"loss/train", "accuracy/train", "accuracy/val"} <= set(metrics)
    first, last = callbacks.logged[0][1], callbacks.last
    assert last["loss/train"] < first["loss/train"]


def test_its_progress_reaches_100(trained):
    _, callbacks = trained
    percents = [percent for percent, _ in callbacks.progress_reports]
    assert percents == sorted(percents)
    assert percents[-1] == 100


def test_a_prediction_has_a_label_a_confidence_and_every_labels_score(trained, data):
    adapter, _ = trained
    [[prediction]] = adapter.predict(data.validation.images[:1])
    assert set(prediction["scores"]) == set(DIGIT_LABELS)
    assert sum(prediction["scores"].values()) == pytest.approx(1.0)
    assert prediction["confidence"] == max(prediction["scores"].values())
    assert prediction["scores"][prediction["label"]] == prediction["confidence"]


def test_it_reads_digits_of_any_size(trained, data):
    adapter, _ = trained
    images = data.validation.images[:20]
    resized = [np.asarray(Image.fromarray(image).resize((200, 200))) for image in images]
    labels = [p[0]["label"] for p in adapter.predict(images)]
    assert [p[0]["label"] for p in adapter.predict(resized)] == labels


def test_it_saves_weights_as_npz_and_json_only(trained, tmp_path):
    adapter, _ = trained
    adapter.save(str(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["model.json", "weights.npz"]
    meta = json.loads((tmp_path / "model.json").read_text())
    assert meta["labels"] == DIGIT_LABELS
    assert meta["hidden_layer_sizes"] == [64]


def test_a_saved_model_loaded_into_a_new_adapter_predicts_identically(trained, data, tmp_path):
    adapter, _ = trained
    adapter.save(str(tmp_path))
    loaded = DigitsMLPAdapter(configuration=DEFAULTS, labels=DIGIT_LABELS)
    loaded.load(str(tmp_path))
    images = data.validation.images
    assert loaded.predict(images) == adapter.predict(images)


def test_it_refuses_a_weights_file_that_holds_a_pickle(trained, tmp_path):
    adapter, _ = trained
    adapter.save(str(tmp_path))
    marker = tmp_path / "unpickled"
    np.savez(tmp_path / "weights.npz", coef_0=np.array([_Payload(str(marker))], dtype=object))
    with pytest.raises(ValueError, match="cannot be read safely"):
        DigitsMLPAdapter(labels=DIGIT_LABELS).load(str(tmp_path))
    assert not marker.exists()


def test_it_refuses_weights_trained_for_other_labels(trained, tmp_path):
    adapter, _ = trained
    adapter.save(str(tmp_path))
    with pytest.raises(ValueError, match="trained for labels"):
        DigitsMLPAdapter(labels=list("abcdefghij")).load(str(tmp_path))


def test_fine_tuning_starts_from_the_loaded_weights(trained, data, tmp_path):
    adapter, _ = trained
    adapter.save(str(tmp_path / "weights"))
    tuned, fresh = (DigitsMLPAdapter({**DEFAULTS, "epochs": 1}, DIGIT_LABELS) for _ in range(2))
    tuned.load(str(tmp_path / "weights"))
    tuned_log, fresh_log = RecordingCallbacks(), RecordingCallbacks()
    tuned.train(data, str(tmp_path), tuned_log)
    fresh.train(data, str(tmp_path), fresh_log)
    # Measured: 0.959 after one more epoch on the trained weights, 0.348 from scratch.
    assert tuned_log.last["accuracy/val"] >= 0.93
    assert fresh_log.last["accuracy/val"] < 0.6


def test_it_stops_after_the_current_epoch_when_cancelled(data, tmp_path):
    adapter = DigitsMLPAdapter(configuration=DEFAULTS, labels=DIGIT_LABELS)
    callbacks = RecordingCallbacks(stop_after=3)
    with pytest.raises(StopTraining):
        adapter.train(data, str(tmp_path), callbacks)
    assert callbacks.steps == [1, 2, 3]
    adapter.save(str(tmp_path))  # what it learned so far can still be kept
    assert (tmp_path / "weights.npz").exists()


def test_it_refuses_an_empty_training_subset(data, tmp_path):
    empty = TrainingData(train=Subset(), validation=data.validation, labels=DIGIT_LABELS)
    with pytest.raises(ValueError, match="training subset is empty"):
        DigitsMLPAdapter(DEFAULTS, DIGIT_LABELS).train(empty, str(tmp_path), RecordingCallbacks())


def test_it_refuses_labels_the_model_does_not_have(data, tmp_path):
    small = TrainingData(subset_head(data.train, 50), Subset(), DIGIT_LABELS)
    adapter = DigitsMLPAdapter(DEFAULTS, labels=["0", "1", "2"])
    with pytest.raises(ValueError, match="labels the model does not have: 3"):
        adapter.train(small, str(tmp_path), RecordingCallbacks())


def test_it_cannot_predict_before_it_has_weights():
    with pytest.raises(RuntimeError, match="train or load"):
        DigitsMLPAdapter(DEFAULTS, DIGIT_LABELS).predict([np.zeros((8, 8, 3), np.uint8)])


class _Payload:
    """Creates a file when unpickled: proof that loading never unpickles."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_it_names_a_configuration_value_it_cannot_use():
    with pytest.raises(ValueError, match="'epochs' must be an integer from 1"):
        DigitsMLPAdapter({**DEFAULTS, "epochs": 0}, DIGIT_LABELS)


def test_it_predicts_nothing_for_an_empty_batch(trained):
    adapter, _ = trained
    assert adapter.predict([]) == []
