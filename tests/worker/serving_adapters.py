"""Adapters the deploy and predict tests serve; workers import them from here."""

import json
from pathlib import Path

from modelyard import ModelAdapter


class EchoAdapter(ModelAdapter):
    """Predicts its first label for every image, or its second for a white image; an image
    whose first pixel is pure blue makes it raise, on its own or within a batch."""

    batch_size = 4

    def load(self, path: str) -> None:
        self.state = json.loads((Path(path) / "state.json").read_text())

    def save(self, path: str) -> None:
        (Path(path) / "state.json").write_text(json.dumps({"saved": True}))

    def train(self, data, output_path, callbacks) -> None:
        callbacks.progress(100, "nothing to learn")

    def predict(self, batch):
        answers = []
        for image in batch:
            if tuple(image[0, 0]) == (0, 0, 255):
                raise ValueError("this adapter cannot read blue images")
            white = tuple(image[0, 0]) == (255, 255, 255)
            label = self.labels[1] if white and len(self.labels) > 1 else self.labels[0]
            answers.append([{"label": label, "confidence": 0.75}])
        return answers
