"""Training in this process, without a job: for `load_demo`'s pretrained versions."""

import math
from collections.abc import Callable

from django.core.files import File

from data.models import Dataset
from registry.models import ModelStatus, ModelVersion
from registry.services.artifacts import artifact_upload
from registry.services.models import merge_configuration, model_set_status
from worker import pretrain_cache
from worker.data import training_data
from worker.training import environment_tag, fit


class InlineCallbacks:
    """Metrics to the store; progress to `say` every quarter."""

    def __init__(self, model: ModelVersion, say: Callable[[str], None]) -> None:
        self.model, self.say, self.next_quarter = model, say, 25.0
        self.points: list[dict] = []  # every point logged, for the cache

    def log(self, metrics: dict[str, float], step: int) -> None:
        from comparison.services import metrics_log

        points = [
            {"name": name, "step": step, "value": value}
            for name, value in metrics.items()
            if math.isfinite(value)
        ]
        if points:
            metrics_log(model=self.model, points=points)
            self.points.extend(points)

    def progress(self, percent: float, message: str = "") -> None:
        if percent >= self.next_quarter:
            self.say(f"  {percent:.0f}% {message}")
            self.next_quarter = 25.0 * (percent // 25 + 1)

    def should_stop(self) -> bool:
        return False


def pretrain(
    *, model: ModelVersion, dataset: Dataset, say: Callable[[str], None], use_cache: bool = True
) -> None:
    """Train `model` on `dataset` here and now; it ends `pre-trained` with its weights.

    An identical earlier training (worker.pretrain_cache) gives its results instead.
    """
    data = training_data(model, dataset)
    configuration = merge_configuration(model.package.default_configuration, model.configuration)
    key = pretrain_cache.cache_key(
        adapter=model.package.adapter, configuration=configuration, data=data
    )
    cached = pretrain_cache.cached_training(key) if use_cache else None
    if cached is not None:
        _restore(model, cached)
        say(f"  weights and metrics of an identical earlier training taken (cache {key})")
    else:
        callbacks = InlineCallbacks(model, say)
        environment = fit(model, data, callbacks, user=None, say=lambda line: say(f"  {line}"))
        pretrain_cache.cache_store(model, key, points=callbacks.points, environment=environment)
    model_set_status(model=model, status=ModelStatus.PRE_TRAINED, reason="trained by load_demo")


def _restore(model: ModelVersion, folder) -> None:
    from comparison.services import metrics_log

    record = pretrain_cache.cached_record(folder)
    for path in pretrain_cache.cached_artifacts(folder):
        with open(path, "rb") as handle:
            artifact_upload(model=model, file=File(handle, name=path.name), user=None)
    if record["points"]:
        metrics_log(model=model, points=record["points"])
    environment_tag(model, record["environment"])
