"""The epoch loop the PyTorch packages share: checkpoints, resume, the best epoch kept.

After each epoch the loop logs the metrics at step `epoch` (with the learning rate
as `lr`), writes a checkpoint (weights, optimiser, scheduler, epoch, random
state, the best epoch so far) and hands it to `callbacks.checkpoint`. A resumed
training reads that checkpoint back and goes on at the next epoch, so its metric
steps continue where the interrupted one stopped. At the end the net holds the
weights of the epoch with the best validation score.
"""

import copy
import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from modelyard import StopTraining

CHECKPOINT_FILE = "checkpoint.pt"
PROGRESS_EVERY_SECONDS = 1.0  # within an epoch, progress is reported at most this often


@dataclass
class TrainingState:
    net: torch.nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: object
    generator: torch.Generator
    device: torch.device
    amp: bool = False
    scaler: torch.amp.GradScaler | None = None
    epoch: int = 0
    metrics: dict = field(default_factory=dict)  # the last epoch's, kept in its checkpoint
    best: dict = field(default_factory=lambda: {"epoch": 0, "score": -math.inf, "state": None})

    def __post_init__(self) -> None:
        if self.amp and self.scaler is None:
            self.scaler = torch.amp.GradScaler(self.device.type)

    def step(self, loss: torch.Tensor) -> None:
        """One optimiser step on `loss`, scaled when mixed precision is on."""
        self.optimizer.zero_grad(set_to_none=True)
        if self.scaler is None:
            loss.backward()
            self.optimizer.step()
            return
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()

    def autocast(self):
        return torch.autocast(self.device.type, enabled=self.amp)


def amp_usable(requested: bool, device: torch.device) -> bool:
    return bool(requested) and device.type == "cuda"


def training_run(
    adapter,
    state: TrainingState,
    callbacks,
    *,
    epochs: int,
    train_epoch: Callable[[Callable[[float], None]], float | dict[str, float]],
    validate: Callable[[], dict[str, float]],
    score: Callable[[dict], float],
    resume: str | None = None,
) -> None:
    """Epochs from the first (or the one after the checkpoint) to `epochs`."""
    if resume:
        checkpoint_restore(state, Path(resume))
        adapter.note(f"resuming after epoch {state.epoch} from its checkpoint")
        # Logged again in case the worker died between the checkpoint and the log;
        # the runner drops points it already holds.
        if state.metrics:
            callbacks.log(state.metrics, step=state.epoch)
    for epoch in range(state.epoch + 1, epochs + 1):
        rate = state.optimizer.param_groups[0]["lr"]
        report = BatchProgress(callbacks, epoch, epochs)
        trained = train_epoch(report)  # the training loss, or it and its parts
        losses = trained if isinstance(trained, dict) else {"loss/train": trained}
        metrics = {**losses, **validate(), "lr": rate}
        state.scheduler.step()
        state.epoch, state.metrics = epoch, metrics
        _best_keep(state, score(metrics))
        _checkpoint_hand_over(state, callbacks)
        adapter.epoch_end(callbacks, epoch, epochs, metrics)
    _best_restore(adapter, state)


class BatchProgress:
    """Progress within an epoch, at most once a second; a cancel stops it within one.

    The adapter calls it with the share of the epoch's batches done. Stopping mid-epoch
    loses only that epoch: the last checkpoint is the one before it.
    """

    def __init__(self, callbacks, epoch: int, epochs: int) -> None:
        self.callbacks, self.epoch, self.epochs = callbacks, epoch, epochs
        self.every = PROGRESS_EVERY_SECONDS
        self.last = time.monotonic()

    def __call__(self, share: float) -> None:
        if time.monotonic() - self.last < self.every:
            return
        self.last = time.monotonic()
        overall = 100.0 * (self.epoch - 1 + share) / max(self.epochs, 1)
        self.callbacks.progress(overall, f"epoch {self.epoch} of {self.epochs}: {share:.0%}")
        if self.callbacks.should_stop():
            raise StopTraining(f"cancelled during epoch {self.epoch}")


def _best_keep(state: TrainingState, value: float) -> None:
    if value > state.best["score"]:
        weights = {
            key: tensor.detach().cpu().clone() for key, tensor in state.net.state_dict().items()
        }
        state.best = {"epoch": state.epoch, "score": value, "state": weights}


def _best_restore(adapter, state: TrainingState) -> None:
    if state.best["state"] is None:
        return
    state.net.load_state_dict(state.best["state"])
    adapter.note(f"kept the weights of epoch {state.best['epoch']}, the best on validation")


def _checkpoint_hand_over(state: TrainingState, callbacks) -> None:
    keep = getattr(callbacks, "checkpoint", None)
    if keep is None:  # callbacks of an older contract: no checkpoints
        return
    with tempfile.TemporaryDirectory(prefix="modelyard-checkpoint-") as folder:
        torch.save(checkpoint_of(state), Path(folder, CHECKPOINT_FILE))
        keep(folder, state.epoch)


def checkpoint_of(state: TrainingState) -> dict:
    return {
        "epoch": state.epoch,
        "model": state.net.state_dict(),
        "optimizer": state.optimizer.state_dict(),
        "scheduler": state.scheduler.state_dict(),
        "scaler": state.scaler.state_dict() if state.scaler else {},
        "rng": torch.get_rng_state(),
        "generator": state.generator.get_state(),
        "metrics": dict(state.metrics),
        "best": _best_for_checkpoint(state),
    }


def _best_for_checkpoint(state: TrainingState) -> dict:
    # When this epoch is the best, its weights are the checkpoint's own: not kept twice.
    best = copy.copy(state.best)
    if best["epoch"] == state.epoch:
        best["state"] = None
    return best


def checkpoint_restore(state: TrainingState, folder: Path) -> None:
    file = folder / CHECKPOINT_FILE
    if not file.is_file():
        raise ValueError(f"no {CHECKPOINT_FILE} in the checkpoint to resume from")
    # weights_only: tensors, numbers and containers only, never code.
    saved = torch.load(file, map_location="cpu", weights_only=True)
    state.net.load_state_dict(saved["model"])
    state.optimizer.load_state_dict(saved["optimizer"])
    state.scheduler.load_state_dict(saved["scheduler"])
    if state.scaler and saved["scaler"]:
        state.scaler.load_state_dict(saved["scaler"])
    torch.set_rng_state(saved["rng"])
    state.generator.set_state(saved["generator"])
    state.epoch, state.best = int(saved["epoch"]), saved["best"]
    if state.best["state"] is None and state.best["epoch"] == state.epoch:
        state.best["state"] = {key: tensor.clone() for key, tensor in saved["model"].items()}
    state.metrics = dict(saved.get("metrics", {}))
