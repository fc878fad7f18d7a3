"""What the PyTorch packages share: the device, seeds, optimisers, images, weights files.

Weights are written as a `state_dict` in `model.safetensors` beside `model.json`
(format, architecture, labels, input size, normalisation). Reading accepts
`.safetensors`, or a `.pt` / `.pth` state_dict read with
``torch.load(weights_only=True)``: no file is ever unpickled into code.
"""

import hashlib
import json
import multiprocessing
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torchvision.transforms.v2 import functional as F

# torchvision's ImageNet normalisation: imported ImageNet weights expect it.
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
SAFETENSORS_FILE = "model.safetensors"
META_FILE = "model.json"
TORCH_SUFFIXES = (".pt", ".pth")


def device_choose(name: str) -> torch.device:
    """`auto` takes CUDA, then Apple's MPS, then the CPU; a named device must exist."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    kind = name.split(":")[0]
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"configuration 'device' is {name!r} but this worker has no CUDA device")
    if kind == "mps" and not _mps_available():
        raise ValueError("configuration 'device' is 'mps' but this worker has no MPS device")
    return torch.device(name)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def device_described(device: torch.device) -> str:
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return str(device)


def seeded_generator(seed: int) -> torch.Generator:
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def optimizer_build(parameters, config) -> torch.optim.Optimizer:
    trainable = [parameter for parameter in parameters if parameter.requires_grad]
    rate, decay = float(config("learning_rate")), float(config("weight_decay"))
    if config("optimizer") == "adamw":
        return torch.optim.AdamW(trainable, lr=rate, weight_decay=decay)
    return torch.optim.SGD(trainable, lr=rate, momentum=0.9, weight_decay=decay)


def scheduler_build(optimizer, config):
    """Stepped once per epoch: cosine to 0 over the epochs, or ×0.1 at 1/3 and 2/3."""
    epochs = int(config("epochs"))
    schedule = config("lr_schedule")
    if schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    if schedule == "step":
        milestones = sorted({max(1, epochs // 3), max(1, 2 * epochs // 3)})
        return torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=milestones, gamma=0.1)
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)


def image_tensor(image: np.ndarray) -> torch.Tensor:
    """An RGB uint8 height × width × 3 array as a 3 × height × width float in [0, 1]."""
    array = np.ascontiguousarray(image)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return torch.from_numpy(array[:, :, :3].copy()).permute(2, 0, 1).float().div_(255.0)


def normalised(tensor: torch.Tensor) -> torch.Tensor:
    return F.normalize(tensor, mean=list(MEAN), std=list(STD))


def input_description(size: int) -> dict:
    return {"width": size, "height": size, "channels": 3, "mean": MEAN, "std": STD}


# --- weights files ------------------------------------------------------------------


def weights_write(folder: str | Path, state: dict[str, torch.Tensor], meta: dict) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {name: value.detach().cpu().contiguous() for name, value in state.items()}
    save_file(tensors, str(folder / SAFETENSORS_FILE), metadata={"format": meta["format"]})
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))


def meta_read(folder: str | Path) -> dict:
    """`model.json`, or {} when the folder holds a bare state_dict."""
    file = Path(folder) / META_FILE
    if not file.is_file():
        return {}
    try:
        meta = json.loads(file.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{META_FILE} is not valid JSON: {error}") from error
    if not isinstance(meta, dict):
        raise ValueError(f"{META_FILE} must hold an object, got {type(meta).__name__}")
    return meta


def state_file(folder: str | Path) -> Path | None:
    """The weights file of a folder: `model.safetensors`, else one `.safetensors` / `.pt`."""
    folder = Path(folder)
    if (folder / SAFETENSORS_FILE).is_file():
        return folder / SAFETENSORS_FILE
    found = sorted(path for path in folder.iterdir() if path.suffix == ".safetensors")
    found = found or sorted(path for path in folder.iterdir() if path.suffix in TORCH_SUFFIXES)
    return found[0] if found else None


def state_read(path: str | Path) -> dict[str, torch.Tensor]:
    """A state_dict from `.safetensors`, or `.pt` / `.pth` read with weights_only=True."""
    path = Path(path)
    try:
        if path.suffix == ".safetensors":
            state = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # refused pickles and torn files alike
        raise ValueError(f"{path.name} cannot be read as a state_dict safely: {error}") from error
    return _state_checked(_unwrapped(state), path.name)


def _unwrapped(state):
    # Checkpoints often nest the weights: {"state_dict": ...} or {"model": ...}.
    for key in ("state_dict", "model"):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            return state[key]
    return state


def _state_checked(state, name: str) -> dict[str, torch.Tensor]:
    if not isinstance(state, dict) or not state:
        raise ValueError(f"{name} holds no state_dict (a mapping of names to tensors)")
    wrong = [key for key, value in state.items() if not isinstance(value, torch.Tensor)]
    if wrong:
        raise ValueError(f"{name}: {wrong[0]!r} is not a tensor")
    # Weights saved from DataParallel carry a "module." prefix on every name.
    return {key.removeprefix("module."): value for key, value in state.items()}


def state_load(net: torch.nn.Module, state: dict, head_prefixes: tuple[str, ...]) -> dict:
    """Load what fits; the head (its names start with `head_prefixes`) may be new.

    Returns {"loaded": [...], "new": [...]}: tensor names taken from `state`, and the
    net's tensors left as initialised. A backbone tensor that is missing or misshapen
    is an error: those weights are not this architecture's.
    """
    own = net.state_dict()
    fits = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    new = [key for key in own if key not in fits]
    foreign = [key for key in new if not key.startswith(head_prefixes)]
    foreign += [key for key in state if key not in own]  # another architecture's extras
    if foreign:
        raise ValueError(
            f"the weights do not fit the architecture: {len(foreign)} tensors missing, "
            f"misshapen or unknown, the first {foreign[0]!r}"
        )
    net.load_state_dict(fits, strict=False)
    return {"loaded": sorted(fits), "new": new}


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def children_allowed():
    """Let a data loader start worker processes from a Celery pool process.

    Celery's prefork children are daemonic, and multiprocessing refuses children to
    a daemon; the loader's workers end with the loader, so the flag may drop for it.
    """
    process = multiprocessing.current_process()
    daemon = process.daemon
    if daemon:
        process._config["daemon"] = False
    try:
        yield
    finally:
        if daemon:
            process._config["daemon"] = True
