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

from collections.abc import Sequence

import numpy as np
import torch
import torchvision
from modelyard import Callbacks, ModelAdapter, Prediction, Subset, TrainingData
from torch.nn import functional as nnf
from torchvision.transforms import v2

from worker.adapters.labels import labels_require, labels_resolve
from worker.adapters.torch_common import (
    children_allowed,
    device_choose,
    device_described,
    image_tensor,
    input_description,
    meta_read,
    normalised,
    optimizer_build,
    scheduler_build,
    seeded_generator,
    state_file,
    state_load,
    state_read,
    weights_write,
)
from worker.adapters.torch_config import (
    RESNET_ARCHITECTURES,
    RESNET_DEFAULTS,
    torch_configuration_check,
)
from worker.adapters.torch_training import TrainingState, amp_usable, training_run

FORMAT = "modelyard.resnet"
FORMAT_VERSION = 1
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


class ResNetAdapter(ModelAdapter):
    """Image → one class label, its confidence and the scores of every label."""

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        super().__init__({**RESNET_DEFAULTS, **(configuration or {})}, labels)
        self._given = set(configuration or {})  # what the saved weights may not override
        torch_configuration_check(self.configuration, RESNET_ARCHITECTURES)
        self.batch_size = int(self.config("batch_size"))
        self._net: torch.nn.Module | None = None
        self._loaded: dict[str, torch.Tensor] | None = None
        self._device = torch.device("cpu")

    # --- weights ---------------------------------------------------------------------

    def load(self, path: str) -> None:
        meta = meta_read(path)
        if meta and meta.get("format") not in (None, FORMAT):
            raise ValueError(f"model.json describes format {meta.get('format')!r}, not {FORMAT!r}")
        found = state_file(path)
        if found is None:
            raise ValueError("no weights file (model.safetensors, .pt or .pth) among the artifacts")
        self._meta_adopt(meta)
        self._loaded = state_read(found)
        if not self.labels and "fc.weight" in self._loaded:
            self.labels = [str(index) for index in range(self._loaded["fc.weight"].shape[0])]
            self.note(f"the weights name no labels: their {len(self.labels)} classes are 0..N-1")
        self.note(f"weights read from {found.name} ({len(self._loaded)} tensors)")
        if self.labels:
            self._net_from_loaded()

    def _meta_adopt(self, meta: dict) -> None:
        if meta.get("architecture") in RESNET_ARCHITECTURES:
            if meta["architecture"] != self.config("architecture"):
                self.note(
                    f"the weights are a {meta['architecture']}, so the model is one "
                    f"(its configuration said {self.config('architecture')})"
                )
            self.configuration["architecture"] = meta["architecture"]
        if not self.labels and isinstance(meta.get("labels"), list):
            self.labels = [str(label) for label in meta["labels"]]
        width = meta.get("input", {}).get("width")
        if isinstance(width, int) and "image_size" not in self._given:
            self.configuration["image_size"] = width

    def _net_from_loaded(self) -> None:
        net = resnet_build(self.config("architecture"), len(self.labels))
        report = state_load(net, self._loaded, HEAD)
        if report["new"]:
            self.note(
                f"loaded {len(report['loaded'])} tensors of the backbone; new for the "
                f"{len(self.labels)} labels: {', '.join(report['new'])}"
            )
        else:
            self.note(f"loaded all {len(report['loaded'])} tensors, head included")
        self._net, self._loaded = net, None

    def save(self, path: str) -> None:
        if self._net is None:
            raise RuntimeError("nothing to save: train or load the model first")
        weights_write(path, self._net.state_dict(), self._meta())

    def _meta(self) -> dict:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "architecture": self.config("architecture"),
            "labels": list(self.labels),
            "input": input_description(int(self.config("image_size"))),
        }

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

    def _state(self) -> TrainingState:
        device = self._device_pick()
        generator = seeded_generator(int(self.config("seed")))
        if self._loaded is not None:
            self._net_from_loaded()
        elif self._net is None:
            self._net = resnet_build(self.config("architecture"), len(self.labels))
        self._freeze()
        self._net.to(device)
        optimizer = optimizer_build(self._net.parameters(), self.config)
        amp = amp_usable(self.config("amp"), device)
        return TrainingState(
            self._net, optimizer, scheduler_build(optimizer, self.config), generator, device, amp
        )

    def _device_pick(self) -> torch.device:
        self._device = device_choose(self.config("device"))
        self.environment = {
            "device": str(self._device),
            "device_name": device_described(self._device),
        }
        self.note(f"device: {self.environment['device_name']}")
        if self.config("amp") and self._device.type != "cuda":
            self.note("amp: mixed precision needs CUDA; training in full precision")
        return self._device

    def _freeze(self) -> None:
        frozen = bool(self.config("freeze_backbone"))
        for name, parameter in self._net.named_parameters():
            parameter.requires_grad = not frozen or name.startswith(HEAD)
        if frozen:
            self.note("freeze_backbone: only the head (fc) learns")

    def _examples(
        self, subset: Subset, name: str, augment: bool = False, required: bool = True
    ) -> ClassExamples:
        if required and not len(subset):
            raise ValueError(f"the {name} subset is empty: there is nothing to learn from")
        found = [_class_label(annotations) for annotations in subset.annotations]
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

    def _loader(self, examples, generator=None, shuffle=False) -> torch.utils.data.DataLoader:
        workers = int(self.config("num_workers"))
        return torch.utils.data.DataLoader(
            examples,
            batch_size=self.batch_size,
            shuffle=shuffle,
            generator=generator,
            num_workers=workers,
            persistent_workers=False,
        )

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

    @torch.no_grad()
    def predict(self, batch: list[np.ndarray]) -> list[list[Prediction]]:
        if self._loaded is not None:
            self._net_from_loaded()
        if self._net is None:
            raise RuntimeError("the model has no weights: train or load it first")
        if not len(batch):
            return []
        self._net.eval()
        transform = self._transform(augment=False)
        images = torch.stack([transform(image_tensor(image)) for image in batch])
        probabilities = nnf.softmax(self._net(images.to(self._serving_device())), dim=1)
        return [[self._prediction(row)] for row in probabilities.cpu().numpy()]

    def _serving_device(self) -> torch.device:
        device = next(self._net.parameters()).device
        if "device" not in self.environment:  # loaded for serving: place it once
            device = self._device = device_choose(self.config("device"))
            self.environment = {"device": str(device), "device_name": device_described(device)}
            self._net.to(device)
        return device

    def _prediction(self, probabilities: np.ndarray) -> Prediction:
        best = int(probabilities.argmax())
        return {
            "label": self.labels[best],
            "confidence": float(probabilities[best]),
            "scores": {
                label: float(p) for label, p in zip(self.labels, probabilities, strict=True)
            },
        }


def _class_label(annotations: list[dict]) -> str | None:
    """The image's class label: its first annotation without a box."""
    return next((a["label"] for a in annotations if "box" not in a), None)


def _validation_score(metrics: dict[str, float]) -> float:
    """Accuracy, ties broken by the lower loss; the training loss with no validation."""
    if "accuracy/val" not in metrics:
        return -metrics["loss/train"]
    return metrics["accuracy/val"] - 1e-6 * metrics["loss/val"]
