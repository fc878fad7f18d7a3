"""Small adapters the worker tests run: they import from here inside the worker process."""

import json
import time
from pathlib import Path

from modelyard import ModelAdapter


class CountingAdapter(ModelAdapter):
    """Learns nothing; logs a falling loss per epoch and saves a JSON file."""

    def load(self, path: str) -> None:
        self.loaded = json.loads((Path(path) / "state.json").read_text())

    def save(self, path: str) -> None:
        (Path(path) / "state.json").write_text(json.dumps({"epochs": self.config("epochs", 3)}))

    def train(self, data, output_path, callbacks) -> None:
        epochs = self.config("epochs", 3)
        for epoch in range(1, epochs + 1):
            time.sleep(self.config("seconds_per_epoch", 0))
            metrics = {"loss/train": 1.0 / epoch, "items": float(len(data.train))}
            self.epoch_end(callbacks, epoch, epochs, metrics)

    def predict(self, batch):
        return [[{"label": self.labels[0], "confidence": 1.0}] for _ in batch]


class FailingAdapter(CountingAdapter):
    def train(self, data, output_path, callbacks) -> None:
        callbacks.progress(10, "about to fail")
        raise RuntimeError("the adapter broke on purpose")
