"""`resnet`: torchvision's ResNet (18, 34 or 50 layers) classifying whole images.

Each image is resized to `image_size` square and normalised as torchvision's
ImageNet weights expect; with `augment`, training images get a random resized
crop and a horizontal flip. Every epoch logs `loss/train`, `loss/val`,
`accuracy/val` and `lr`, and the weights of the epoch with the best validation
accuracy are the ones saved.

Weights: `model.safetensors` (the net's state_dict) and `model.json` with
``format`` "modelyard.resnet", ``version`` 1, ``architecture``, ``labels`` (the
head's output order) and ``input`` (size and normalisation). `load` also takes a
bare torchvision state_dict (`.safetensors`, or `.pt` / `.pth` read with
``weights_only=True``); when its head does not fit the model's labels, the
backbone is kept and the head starts new, and the job log says so.
"""

import numpy as np
import torch
import torchvision
from modelyard import Callbacks, Prediction, Subset, TrainingData
from torch.nn import functional as nnf
from torchvision.transforms import v2

from worker.adapters.labels import class_label, class_prediction, labels_require, labels_resolve
from worker.adapters.torch_adapter import TorchAdapter
from worker.adapters.torch_common import children_allowed, image_tensor, normalised
from worker.adapters.torch_config import RESNET_ARCHITECTURES, RESNET_DEFAULTS
from worker.adapters.torch_training import TrainingState, training_run

HEAD = ("fc.",)


def resnet_build(architecture: str, classes: int) -> torch.nn.Module:
    # weights=None: nothing is downloaded; pretrained weights come from a version's files.
    return getattr(torchvision.models, architecture)(weights=None, num_classes=classes)


class ClassExamples(torch.utils.data.Dataset):
    """The images of a subset that carry a class label, as (tensor, class index)."""

    def __init__(self, subset: Subset, indices: list[int], targets: list[int], transform) -> None:
        self.images, self.indices, self.targets = subset.images, indices, targets
        self.transform = transform

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        image = self.images[self.indices[index]]  # read from storage now, not before
        return self.transform(image_tensor(image)), self.targets[index]


class ResNetAdapter(TorchAdapter):
    """Image → one class label, its confidence and the scores of every label."""

    FORMAT = "modelyard.resnet"
    DEFAULTS, ARCHITECTURES = RESNET_DEFAULTS, RESNET_ARCHITECTURES
    FROZEN_NOTE = "freeze_backbone: only the head (fc) learns"

    def _build(self) -> torch.nn.Module:
        return resnet_build(self.config("architecture"), len(self.labels))

    def _head(self) -> tuple[str, ...]:
        return HEAD

    def _labels_from_state(self, state: dict[str, torch.Tensor]) -> list[str]:
        if "fc.weight" not in state:
            return []
        labels = [str(index) for index in range(state["fc.weight"].shape[0])]
        self.note(f"the weights name no labels: their {len(labels)} classes are 0..N-1")
        return labels

    # --- training --------------------------------------------------------------------

    def train(self, data: TrainingData, output_path: str, callbacks: Callbacks) -> None:
        self.labels = labels_resolve(self.labels, data.labels)
        train_set = self._examples(data.train, "training", augment=bool(self.config("augment")))
        val_set = self._examples(data.validation, "validation", required=False)
        state = self._state()
        loaders = self._loader(train_set, state.generator, shuffle=True), self._loader(val_set)
        with children_allowed():
            training_run(
                self,
                state,
                callbacks,
                epochs=int(self.config("epochs")),
                train_epoch=lambda report: self._train_epoch(state, loaders[0], report),
                validate=lambda: self._validate(loaders[1]) if len(val_set) else {},
                score=_validation_score,
                resume=data.resume,
            )

    def _examples(
        self, subset: Subset, name: str, augment: bool = False, required: bool = True
    ) -> ClassExamples:
        if required and not len(subset):
            raise ValueError(f"the {name} subset is empty: there is nothing to learn from")
        found = [class_label(annotations) for annotations in subset.annotations]
        indices = [index for index, label in enumerate(found) if label is not None]
        if required and not indices:
            raise ValueError(f"the {name} subset has no images with a class label")
        labels_require(self.labels, [found[index] for index in indices], name)
        targets = [self.labels.index(found[index]) for index in indices]
        return ClassExamples(subset, indices, targets, self._transform(augment))

    def _transform(self, augment: bool):
        size = int(self.config("image_size"))
        if augment:
            steps = [v2.RandomResizedCrop(size, scale=(0.6, 1.0)), v2.RandomHorizontalFlip()]
        else:
            steps = [v2.Resize((size, size))]
        return v2.Compose([*steps, v2.Lambda(normalised)])

    def _train_epoch(self, state: TrainingState, loader, report) -> float:
        self._net.train()
        total, count = 0.0, 0
        for batch, (images, targets) in enumerate(loader, start=1):
            images, targets = images.to(state.device), targets.to(state.device)
            with state.autocast():
                loss = nnf.cross_entropy(self._net(images), targets)
            state.step(loss)
            total, count = total + loss.item() * len(targets), count + len(targets)
            report(batch / len(loader))
        return total / max(count, 1)

    @torch.no_grad()
    def _validate(self, loader) -> dict[str, float]:
        self._net.eval()
        loss, right, count = 0.0, 0, 0
        for images, targets in loader:
            images, targets = images.to(self._device), targets.to(self._device)
            logits = self._net(images)
            loss += float(nnf.cross_entropy(logits, targets, reduction="sum"))
            right += int((logits.argmax(dim=1) == targets).sum())
            count += len(targets)
        return {"loss/val": loss / count, "accuracy/val": right / count}

    # --- prediction ------------------------------------------------------------------

    def _predict_batch(self, batch: list[np.ndarray], device) -> list[list[Prediction]]:
        transform = self._transform(augment=False)
        images = torch.stack([transform(image_tensor(image)) for image in batch])
        probabilities = nnf.softmax(self._net(images.to(device)), dim=1).cpu().numpy()
        return [[class_prediction(self.labels, row)] for row in probabilities]


def _validation_score(metrics: dict[str, float]) -> float:
    """Accuracy, ties broken by the lower loss; the training loss with no validation."""
    if "accuracy/val" not in metrics:
        return -metrics["loss/train"]
    return metrics["accuracy/val"] - 1e-6 * metrics["loss/val"]
