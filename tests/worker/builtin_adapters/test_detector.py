"""The `detector` package in this process: each architecture trains, saves and reloads."""

import numpy as np
import pytest
import torch
from modelyard import Subset, TrainingData

from tests.worker.builtin_adapters.callbacks import RecordingCallbacks
from tests.worker.builtin_adapters.squares import squares
from worker.adapters.detector import DetectorAdapter, _flipped, boxes_xyxy
from worker.adapters.torch_config import DETECTOR_ARCHITECTURES

PARTS = {
    "fasterrcnn_mobilenet_v3_large_320_fpn": {
        "loss/classifier",
        "loss/box_reg",
        "loss/objectness",
        "loss/rpn_box_reg",
    },
    "ssdlite320_mobilenet_v3_large": {"loss/bbox_regression", "loss/classification"},
    "retinanet_resnet50_fpn": {"loss/bbox_regression", "loss/classification"},
}


@pytest.mark.parametrize("architecture", DETECTOR_ARCHITECTURES)
def test_each_architecture_trains_an_epoch_and_reloads_to_the_same_boxes(architecture, tmp_path):
    data = TrainingData(squares(4), squares(2, seed=1), ["square"])
    adapter = DetectorAdapter(
        {"architecture": architecture, "epochs": 1, "batch_size": 2, "image_size": 64}
    )
    callbacks = RecordingCallbacks()
    adapter.train(data, str(tmp_path), callbacks)
    adapter.save(str(tmp_path))

    assert callbacks.steps == [1]
    assert {"loss/train", "mAP/val", "mAP50/val", "lr"} <= set(callbacks.last)
    parts = {name for name in callbacks.last if name.startswith("loss/")} - {"loss/train"}
    assert parts == PARTS[architecture]
    assert callbacks.last["loss/train"] == pytest.approx(sum(callbacks.last[p] for p in parts))
    reloaded = DetectorAdapter({})
    reloaded.load(str(tmp_path))
    assert reloaded.config("architecture") == architecture
    images = list(data.validation.images)
    assert reloaded.predict(images) == adapter.predict(images)


def test_boxes_go_in_and_out_as_x_y_width_height(tmp_path):
    assert boxes_xyxy([{"label": "a", "box": [10, 20, 5, 8]}]).tolist() == [[10, 20, 15, 28]]
    assert boxes_xyxy([]).shape == (0, 4)
    image = torch.zeros(3, 40, 100)
    flipped, boxes = _flipped(image, torch.tensor([[10.0, 5.0, 30.0, 25.0]]))
    assert boxes.tolist() == [[70.0, 5.0, 90.0, 25.0]]


def test_a_prediction_is_a_labelled_box_within_the_contract(tmp_path):
    data = TrainingData(squares(4), squares(2, seed=1), ["square"])
    adapter = DetectorAdapter(
        {"epochs": 1, "batch_size": 2, "image_size": 64, "score_threshold": 0}
    )
    adapter.train(data, str(tmp_path), RecordingCallbacks())

    found = [one for image in adapter.predict(list(data.validation.images)) for one in image]

    assert found, "a score threshold of 0 keeps every detection"
    for prediction in found:
        assert set(prediction) == {"label", "confidence", "box"}
        assert prediction["label"] == "square"
        assert 0 <= prediction["confidence"] <= 1
        assert len(prediction["box"]) == 4
        assert prediction["box"][2] >= 0


def test_a_detector_with_no_boxes_to_learn_from_says_so():
    empty = Subset(["a.png"], [np.zeros((32, 32, 3), np.uint8)], [[]])
    with pytest.raises(ValueError, match="no ground-truth boxes to learn from"):
        DetectorAdapter({}).train(
            TrainingData(empty, Subset(), ["square"]), "x", RecordingCallbacks()
        )
