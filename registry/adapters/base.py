"""What the built-in adapters share until the SDK's ModelAdapter base arrives."""

from pathlib import Path

NOT_YET = "arrives with training jobs"


class StubAdapter:
    """Load, save, train and predict: the four things a package adapter does."""

    def __init__(self, configuration: dict | None = None) -> None:
        self.configuration = dict(configuration or {})

    def load(self, path: Path) -> None:
        raise NotImplementedError(NOT_YET)

    def save(self, path: Path) -> None:
        raise NotImplementedError(NOT_YET)

    def train(self, dataset, **kwargs) -> None:
        raise NotImplementedError(NOT_YET)

    def predict(self, items: list) -> list:
        raise NotImplementedError(NOT_YET)
