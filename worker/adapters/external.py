"""The adapter of versions trained elsewhere and logged through the MLflow-compatible API.

Their code never came to Modelyard, so there is nothing to train or predict with: each
method says so and how to go on, instead of failing with NotImplementedError.
"""

from modelyard import ModelAdapter

WHY = (
    "This version was logged from outside Modelyard (the MLflow-compatible API): its "
    "training code is not here. Log it under a package with an adapter (the run tag "
    "'modelyard.package'), or clone its artifacts into one, to {what} it in Modelyard."
)


class ExternalAdapter(ModelAdapter):
    def load(self, path: str) -> None:
        raise RuntimeError(WHY.format(what="load"))

    def save(self, path: str) -> None:
        raise RuntimeError(WHY.format(what="save"))

    def train(self, data, output_path: str, callbacks) -> None:
        raise RuntimeError(WHY.format(what="train"))

    def predict(self, batch):
        raise RuntimeError(WHY.format(what="predict with"))
