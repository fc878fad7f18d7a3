"""The configuration of the PyTorch packages, readable without importing torch.

`load_demo` and the pages read these defaults; only the worker imports the
adapters themselves (`resnet`, `detector`), which import torch.
"""

from worker.adapters.config import (
    TRAINING_RULES,
    Choices,
    Rules,
    choices_check,
    configuration_check,
)

COMMON_DEFAULTS = {
    "epochs": 10,
    "batch_size": 32,
    "learning_rate": 0.01,
    "optimizer": "sgd",
    "weight_decay": 0.0001,
    "lr_schedule": "cosine",
    "augment": False,
    "freeze_backbone": False,
    "seed": 0,
    "device": "auto",
    "amp": False,
    "num_workers": 0,
}
RESNET_DEFAULTS = {**COMMON_DEFAULTS, "architecture": "resnet18", "image_size": 64}
DETECTOR_DEFAULTS = {
    **COMMON_DEFAULTS,
    "architecture": "fasterrcnn_mobilenet_v3_large_320_fpn",
    "epochs": 20,
    "batch_size": 8,
    "learning_rate": 0.0003,
    "optimizer": "adamw",
    "image_size": 128,
    "score_threshold": 0.05,
}
RESNET_ARCHITECTURES = ("resnet18", "resnet34", "resnet50")
DETECTOR_ARCHITECTURES = (
    "fasterrcnn_mobilenet_v3_large_320_fpn",
    "ssdlite320_mobilenet_v3_large",
    "retinanet_resnet50_fpn",
)
COMMON_RULES: Rules = {
    **{key: rule for key, rule in TRAINING_RULES.items() if key != "alpha"},
    "weight_decay": (False, 0, 1),
    "image_size": (True, 16, 1024),
    "num_workers": (True, 0, 64),
}
COMMON_CHOICES: Choices = {
    "optimizer": ("sgd", "adamw"),
    "lr_schedule": ("cosine", "step", "none"),
    "augment": (False, True),
    "freeze_backbone": (False, True),
    "amp": (False, True),
}


def torch_configuration_check(configuration: dict, architectures: tuple[str, ...]) -> None:
    """A ValueError naming the first key whose value the packages cannot use."""
    configuration_check(configuration, COMMON_RULES)
    choices_check(configuration, {**COMMON_CHOICES, "architecture": architectures})
    device = configuration.get("device")
    if not isinstance(device, str) or device.split(":")[0] not in ("auto", "cpu", "cuda", "mps"):
        raise ValueError(
            "configuration 'device' must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', "
            f"got {device!r}"
        )
