"""Three versions of Acme with metrics and configurations, and URL helpers for the
comparison page. Values are chosen so every statistic has a different best version."""

from dataclasses import dataclass

import pytest

from comparison.services import metrics_log
from tests.factories import ModelVersionFactory


def compare_url(project, query: str = "") -> str:
    return f"/projects/{project.id}/compare/{'?' + query if query else ''}"


def models_param(*versions) -> str:
    return ",".join(str(version.id) for version in versions)


def log(model, name: str, values: list[float], start: int = 0, step: int = 1) -> None:
    """One point per value at steps start, start + step, ..."""
    points = [
        {"name": name, "step": start + index * step, "value": float(value)}
        for index, value in enumerate(values)
    ]
    metrics_log(model=model, points=points)


@dataclass
class Trio:
    a: object
    b: object
    c: object

    @property
    def all(self) -> list:
        return [self.a, self.b, self.c]

    @property
    def ids(self) -> str:
        return models_param(*self.all)


@pytest.fixture
def trio(cast, public_package) -> Trio:
    """a → b (clone) → c (clone); loss falls, accuracy rises; configurations differ in lr."""
    a = ModelVersionFactory(
        project=cast.project,
        package=public_package,
        name="alpha",
        configuration={"lr": 0.1, "epochs": 10, "optimizer": {"name": "sgd", "momentum": 0.9}},
    )
    b = ModelVersionFactory(
        project=cast.project,
        package=public_package,
        name="beta",
        parent=a,
        configuration={"lr": 0.01, "epochs": 10, "optimizer": {"name": "sgd", "momentum": 0.9}},
    )
    c = ModelVersionFactory(
        project=cast.project,
        package=public_package,
        name="gamma",
        parent=b,
        configuration={"lr": 0.001, "epochs": 10, "optimizer": {"name": "adam", "momentum": 0.9}},
    )
    # loss/train: last a=0.5 b=0.3 c=0.4; min a=0.5 b=0.2 c=0.4; max a=2 b=3 c=1.
    log(a, "loss/train", [2.0, 1.0, 0.5])
    log(b, "loss/train", [3.0, 0.2, 0.3])
    log(c, "loss/train", [1.0, 0.6, 0.4])
    log(a, "loss/val", [2.5, 1.5, 0.9])
    log(b, "loss/val", [2.0, 1.0, 0.8])
    # accuracy only on a and c.
    log(a, "accuracy", [0.5, 0.7, 0.8])
    log(c, "accuracy", [0.6, 0.9, 0.85])
    return Trio(a=a, b=b, c=c)
