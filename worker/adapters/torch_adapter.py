"""The part of a PyTorch package that does not depend on what it predicts.

`TorchAdapter` reads and writes the weights (`model.safetensors` + `model.json`,
or a bare state_dict), builds the net when the labels are known (a new head when
they differ from the file's), picks the device, freezes the backbone, makes the
optimiser, scheduler and training state, and places a loaded net for serving.
A package (`resnet`, `detector`) adds its net, its examples, its epoch and its
predictions.
"""

from collections.abc import Sequence

import numpy as np
import torch
from modelyard import ModelAdapter, Prediction

from worker.adapters.torch_common import (
    device_choose,
    device_described,
    input_description,
    meta_read,
    optimizer_build,
    scheduler_build,
    seeded_generator,
    state_file,
    state_load,
    state_read,
    weights_write,
)
from worker.adapters.torch_config import torch_configuration_check
from worker.adapters.torch_training import TrainingState, amp_usable


class TorchAdapter(ModelAdapter):
    FORMAT = ""
    FORMAT_VERSION = 1
    DEFAULTS: dict = {}
    ARCHITECTURES: tuple[str, ...] = ()
    FROZEN_NOTE = "freeze_backbone: the backbone stays as loaded; the head learns"

    def __init__(self, configuration: dict | None = None, labels: Sequence[str] = ()) -> None:
        super().__init__({**self.DEFAULTS, **(configuration or {})}, labels)
        self._given = set(configuration or {})  # what the saved weights may not override
        torch_configuration_check(self.configuration, self.ARCHITECTURES)
        self.batch_size = int(self.config("batch_size"))
        self._net: torch.nn.Module | None = None
        self._loaded: dict[str, torch.Tensor] | None = None
        self._device = torch.device("cpu")

    # --- what a package adds ---------------------------------------------------------

    def _build(self) -> torch.nn.Module:
        """A new net for the architecture and the labels, with random weights."""
        raise NotImplementedError

    def _head(self) -> tuple[str, ...]:
        """Prefixes of the tensors that depend on the labels (new when they change)."""
        raise NotImplementedError

    def _learns_when_frozen(self, name: str) -> bool:
        """Whether parameter `name` still learns with `freeze_backbone`."""
        return name.startswith(self._head())

    def _predict_batch(self, batch: list[np.ndarray], device) -> list[list[Prediction]]:
        raise NotImplementedError

    def _labels_from_state(self, state: dict[str, torch.Tensor]) -> list[str]:
        """Labels a bare state_dict implies (none by default)."""
        return []

    def _meta_extra(self) -> dict:
        return {}

    # --- weights ---------------------------------------------------------------------

    def load(self, path: str) -> None:
        meta = meta_read(path)
        if meta and meta.get("format") not in (None, self.FORMAT):
            found = meta.get("format")
            raise ValueError(f"model.json describes format {found!r}, not {self.FORMAT!r}")
        found = state_file(path)
        if found is None:
            raise ValueError("no weights file (model.safetensors, .pt or .pth) among the artifacts")
        self._meta_adopt(meta)
        self._loaded = state_read(found)
        if not self.labels:
            self.labels = self._labels_from_state(self._loaded)
        self.note(f"weights read from {found.name} ({len(self._loaded)} tensors)")
        if self.labels:
            self._net_from_loaded()

    def _meta_adopt(self, meta: dict) -> None:
        architecture = meta.get("architecture")
        if architecture in self.ARCHITECTURES:
            if architecture != self.config("architecture"):
                self.note(
                    f"the weights are a {architecture}, so the model is one "
                    f"(its configuration said {self.config('architecture')})"
                )
            self.configuration["architecture"] = architecture
        if not self.labels and isinstance(meta.get("labels"), list):
            self.labels = [str(label) for label in meta["labels"]]
        width = meta.get("input", {}).get("width")
        if isinstance(width, int) and "image_size" not in self._given:
            self.configuration["image_size"] = width

    def _net_from_loaded(self) -> None:
        net = self._build()
        report = state_load(net, self._loaded, self._head())
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
            "format": self.FORMAT,
            "version": self.FORMAT_VERSION,
            "architecture": self.config("architecture"),
            "labels": list(self.labels),
            "input": input_description(int(self.config("image_size"))),
            **self._meta_extra(),
        }

    # --- training --------------------------------------------------------------------

    def _state(self) -> TrainingState:
        """The net (loaded, kept or new) on its device, with optimiser and scheduler."""
        device = self._device_pick()
        generator = seeded_generator(int(self.config("seed")))
        if self._loaded is not None:
            self._net_from_loaded()
        elif self._net is None:
            self._net = self._build()
        self._freeze()
        self._net.to(device)
        optimizer = optimizer_build(self._net.parameters(), self.config)
        amp = amp_usable(self.config("amp"), device)
        return TrainingState(
            self._net, optimizer, scheduler_build(optimizer, self.config), generator, device, amp
        )

    def _device_pick(self) -> torch.device:
        self._device_take()
        self.note(f"device: {self.environment['device_name']}")
        if self.config("amp") and self._device.type != "cuda":
            self.note("amp: mixed precision needs CUDA; training in full precision")
        return self._device

    def _freeze(self) -> None:
        frozen = bool(self.config("freeze_backbone"))
        for name, parameter in self._net.named_parameters():
            parameter.requires_grad = not frozen or self._learns_when_frozen(name)
        if frozen:
            self.note(self.FROZEN_NOTE)

    def _loader(self, examples, generator=None, shuffle=False, collate_fn=None):
        return torch.utils.data.DataLoader(
            examples,
            batch_size=self.batch_size,
            shuffle=shuffle,
            generator=generator,
            num_workers=int(self.config("num_workers")),
            collate_fn=collate_fn,
        )

    # --- prediction ------------------------------------------------------------------

    @torch.no_grad()
    def predict(self, batch: list[np.ndarray]) -> list[list[Prediction]]:
        if self._loaded is not None:
            if not self.labels:
                raise ValueError("the weights name no labels: give the version labels")
            self._net_from_loaded()
        if self._net is None:
            raise RuntimeError("the model has no weights: train or load it first")
        if not len(batch):
            return []
        self._net.eval()
        return self._predict_batch(batch, self._serving_device())

    def _serving_device(self) -> torch.device:
        if "device" not in self.environment:  # loaded for serving: placed once, not per call
            self._net.to(self._device_take())
        return self._device

    def _device_take(self) -> torch.device:
        """The configured device, also recorded in `environment` for the job and the tag."""
        self._device = device_choose(self.config("device"))
        self.environment = {
            "device": str(self._device),
            "device_name": device_described(self._device),
        }
        return self._device
