"""`detector`: a torchvision detector finding labelled boxes in an image.

`architecture` is Faster R-CNN with a MobileNetV3-Large FPN backbone (the
default, light enough for a CPU), SSDlite320 or RetinaNet with a ResNet-50 FPN.
Boxes come in and go out in the adapter contract's form, [x, y, width, height]
in pixels. Faster R-CNN and RetinaNet resize images to `image_size` (their
shorter and longer side alike); SSDlite always works at 320 px. With `augment`,
training images are flipped left-right at random, boxes with them.

Every epoch logs `loss/train` and the architecture's own parts of it
(`loss/classifier`, `loss/box_reg`...), and `mAP/val` and `mAP50/val` on the
validation subset (COCO-style, see `worker.adapters.boxes`); the weights of the
epoch with the best `mAP/val` are the ones saved.

Weights: `model.safetensors` and `model.json` (``format`` "modelyard.detector",
``version`` 1, ``architecture``, ``labels`` with class i + 1 for label i, class 0
being the background, and ``input``).
"""

from collections.abc import Sequence

import numpy as np
import torch
from modelyard import Callbacks, Prediction, Subset, TrainingData
from torchvision.models import detection

from worker.adapters.boxes import mean_average_precision
from worker.adapters.config import configuration_check
from worker.adapters.labels import labels_require, labels_resolve
from worker.adapters.torch_adapter import TorchAdapter
from worker.adapters.torch_common import children_allowed, image_tensor, input_description
from worker.adapters.torch_config import DETECTOR_ARCHITECTURES, DETECTOR_DEFAULTS
from worker.adapters.torch_training import TrainingState, training_run

# The tensors that depend on the number of labels: new when the labels change.
HEADS = {
    "fasterrcnn_mobilenet_v3_large_320_fpn": ("roi_heads.box_predictor.",),
    "ssdlite320_mobilenet_v3_large": ("head.classification_head.",),
    "retinanet_resnet50_fpn": ("head.classification_head.cls_logits.",),
}


def detector_build(architecture: str, classes: int, size: int, threshold: float):
    """`classes` counts the background. weights=None: nothing is ever downloaded."""
    common = {"weights": None, "weights_backbone": None, "num_classes": classes}
    if architecture == "ssdlite320_mobilenet_v3_large":
        return detection.ssdlite320_mobilenet_v3_large(**common, score_thresh=threshold)
    if architecture == "retinanet_resnet50_fpn":
        return detection.retinanet_resnet50_fpn(
            **common, min_size=size, max_size=size, score_thresh=threshold
        )
    return detection.fasterrcnn_mobilenet_v3_large_320_fpn(
        **common,
        min_size=size,
        max_size=size,
        box_score_thresh=threshold,
        # Fewer proposals than torchvision's 2,000 / 512: small images hold few objects.
        rpn_pre_nms_top_n_train=300,
        rpn_post_nms_top_n_train=150,
        box_batch_size_per_image=128,
    )


def boxes_xyxy(annotations: list[dict]) -> torch.Tensor:
    boxes = [a["box"] for a in annotations]
    corners = [[x, y, x + w, y + h] for x, y, w, h in boxes]
    return torch.tensor(corners, dtype=torch.float32).reshape(-1, 4)


class BoxExamples(torch.utils.data.Dataset):
    """Each image of a subset with its boxes, as (tensor, target) for torchvision."""

    def __init__(self, subset: Subset, labels: list[str], flip: bool) -> None:
        self.images, self.annotations = subset.images, subset.annotations
        self.labels, self.flip = labels, flip

    def __len__(self) -> int:
        return len(self.annotations)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, dict]:
        image = image_tensor(self.images[index])  # read from storage now, not before
        boxes = [a for a in self.annotations[index] if "box" in a]
        target = {
            "boxes": boxes_xyxy(boxes),
            "labels": torch.tensor([self.labels.index(a["label"]) + 1 for a in boxes]),
        }
        if self.flip and torch.rand(1).item() < 0.5:
            image, target["boxes"] = _flipped(image, target["boxes"])
        return image, target


def _flipped(image: torch.Tensor, boxes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    width = image.shape[-1]
    mirrored = boxes.clone()
    mirrored[:, 0], mirrored[:, 2] = width - boxes[:, 2], width - boxes[:, 0]
    return image.flip(-1), mirrored


def _as_lists(batch):
    return [image for image, _ in batch], [target for _, target in batch]


class DetectorAdapter(TorchAdapter):
    """Image → boxes, each with its label and confidence."""

    FORMAT = "modelyard.detector"
    DEFAULTS, ARCHITECTURES = DETECTOR_DEFAULTS, DETECTOR_ARCHITECTURES
    FROZEN_NOTE = "freeze_backbone: the backbone stays as loaded; the heads learn"

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        super().__init__(configuration, labels)
        configuration_check(self.configuration, {"score_threshold": (False, 0, 1)})

    def _build(self) -> torch.nn.Module:
        return detector_build(
            self.config("architecture"),
            len(self.labels) + 1,
            int(self.config("image_size")),
            float(self.config("score_threshold")),
        )

    def _head(self) -> tuple[str, ...]:
        return HEADS[self.config("architecture")]

    def _learns_when_frozen(self, name: str) -> bool:
        return not name.startswith("backbone.")

    def _meta_extra(self) -> dict:
        size = int(self.config("image_size"))
        return {"background_class": 0, "input": {**input_description(size), "scale": "0..1"}}

    # --- training --------------------------------------------------------------------

    def train(self, data: TrainingData, output_path: str, callbacks: Callbacks) -> None:
        self.labels = labels_resolve(self.labels, data.labels)
        self._check(data.train, "training", required=True)
        self._check(data.validation, "validation", required=False)
        state = self._state()
        examples = BoxExamples(data.train, self.labels, flip=bool(self.config("augment")))
        loader = self._loader(examples, state.generator, shuffle=True, collate_fn=_as_lists)
        with children_allowed():
            training_run(
                self,
                state,
                callbacks,
                epochs=int(self.config("epochs")),
                train_epoch=lambda report: self._train_epoch(state, loader, report),
                validate=lambda: self._validate(data.validation),
                score=lambda metrics: metrics.get("mAP/val", -metrics["loss/train"]),
                resume=data.resume,
            )

    def _check(self, subset: Subset, name: str, required: bool) -> None:
        if required and not len(subset):
            raise ValueError(f"the {name} subset is empty: there is nothing to learn from")
        found = [
            a["label"] for annotations in subset.annotations for a in annotations if "box" in a
        ]
        if required and not found:
            raise ValueError(f"the {name} subset has no ground-truth boxes to learn from")
        labels_require(self.labels, found, name)

    def _train_epoch(self, state: TrainingState, loader, report) -> dict[str, float]:
        """The mean training loss of the epoch, and of each of its parts (`loss/classifier`...)."""
        self._net.train()
        sums, count = {}, 0
        for batch, (images, targets) in enumerate(loader, start=1):
            images = [image.to(state.device) for image in images]
            targets = [{key: value.to(state.device) for key, value in t.items()} for t in targets]
            with state.autocast():
                losses = self._net(images, targets)
            loss = sum(losses.values())
            state.step(loss)
            parts = {"train": loss.item(), **{k: v.item() for k, v in losses.items()}}
            for name, value in parts.items():
                sums[name] = sums.get(name, 0.0) + value * len(images)
            count += len(images)
            report(batch / len(loader))
        return {
            f"loss/{name.removeprefix('loss_')}": total / max(count, 1)
            for name, total in sums.items()
        }

    def _validate(self, subset: Subset) -> dict[str, float]:
        if not len(subset):
            return {}
        found = list(self.predict_all(subset.images))
        truths = [[a for a in annotations if "box" in a] for annotations in subset.annotations]
        scores = mean_average_precision(found, truths)
        return {"mAP/val": scores["mAP"], "mAP50/val": scores["mAP50"]}

    # --- prediction ------------------------------------------------------------------

    def _predict_batch(self, batch: list[np.ndarray], device) -> list[list[Prediction]]:
        found = self._net([image_tensor(image).to(device) for image in batch])
        return [self._predictions(one) for one in found]

    def _predictions(self, found: dict) -> list[Prediction]:
        boxes = found["boxes"].cpu().numpy()
        classes, scores = found["labels"].cpu().numpy(), found["scores"].cpu().numpy()
        return [
            {
                "label": self.labels[int(cls) - 1],
                "confidence": float(score),
                "box": [float(x1), float(y1), float(x2 - x1), float(y2 - y1)],
            }
            for (x1, y1, x2, y2), cls, score in zip(boxes, classes, scores, strict=True)
            if 1 <= int(cls) <= len(self.labels)
        ]
