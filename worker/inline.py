"""Training in this process, without a job: for `load_demo`'s pretrained versions."""

import math
from collections.abc import Callable

from data.models import Dataset
from registry.models import ModelStatus, ModelVersion
from registry.services.models import model_set_status
from worker.data import training_data
from worker.training import fit


class InlineCallbacks:
    """Metrics to the store; progress to `say` every quarter."""

    def __init__(self, model: ModelVersion, say: Callable[[str], None]) -> None:
        self.model, self.say, self.next_quarter = model, say, 25.0

    def log(self, metrics: dict[str, float], step: int) -> None:
        from comparison.services import metrics_log

        points = [
            {"name": name, "step": step, "value": value}
            for name, value in metrics.items()
            if math.isfinite(value)
        ]
        if points:
            metrics_log(model=self.model, points=points)

    def progress(self, percent: float, message: str = "") -> None:
        if percent >= self.next_quarter:
            self.say(f"  {percent:.0f}% {message}")
            self.next_quarter = 25.0 * (percent // 25 + 1)

    def should_stop(self) -> bool:
        return False


def pretrain(*, model: ModelVersion, dataset: Dataset, say: Callable[[str], None]) -> None:
    """Train `model` on `dataset` here and now; it ends `pre-trained` with its weights."""
    data = training_data(model, dataset)
    fit(model, data, InlineCallbacks(model, say), user=None, say=lambda line: say(f"  {line}"))
    model_set_status(model=model, status=ModelStatus.PRE_TRAINED, reason="trained by load_demo")
