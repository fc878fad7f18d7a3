"""Modelyard: the Python client and the ModelAdapter base.

    import modelyard as yard
    yard.login("http://localhost:8000", "my_...")   # or MODELYARD_URL / MODELYARD_TOKEN
    package = yard.packages.get(package_name="digits-mlp")

``yard.projects``, ``yard.datasets``, ``yard.packages``, ``yard.models``, ``yard.jobs``
and ``yard.evaluations`` are the repositories of the default client, made on first use
from the last `login` or from the environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modelyard import errors
from modelyard.adapter import (
    Callbacks,
    ModelAdapter,
    Prediction,
    StopTraining,
    Subset,
    TrainingData,
)
from modelyard.client import Client
from modelyard.entities.artifacts import Artifact
from modelyard.entities.datasets import Dataset, Item
from modelyard.entities.evaluations import Evaluation
from modelyard.entities.jobs import Job
from modelyard.entities.models import Model
from modelyard.entities.packages import Package
from modelyard.entities.projects import Project
from modelyard.run import Run

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Artifact",
    "Callbacks",
    "Client",
    "Dataset",
    "Evaluation",
    "Item",
    "Job",
    "Model",
    "ModelAdapter",
    "Package",
    "Prediction",
    "Project",
    "Run",
    "StopTraining",
    "Subset",
    "TrainingData",
    "client",
    "compare",
    "errors",
    "login",
    "logout",
]
__version__ = "0.1.0"

REPOSITORIES = frozenset({"projects", "datasets", "packages", "models", "jobs", "evaluations"})
_default: Client | None = None


def login(
    url: str | None = None,
    token: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    **options: Any,
) -> Client:
    """Sign in for the module-level calls (``yard.packages.get(...)``) and return the client.

    Give a token, or a username and password to trade for a new token. ``options``
    go to `Client` (timeout, retries, backoff).
    """
    global _default
    if username is not None and url is not None:
        token = Client.token_for(url, username, password or "")
    _default = Client(url, token, **options)
    return _default


def logout() -> None:
    """Forget the default client (the next call reads the environment again)."""
    global _default
    _default = None


def client() -> Client:
    """The default client: the last `login`, else one made from MODELYARD_URL/TOKEN."""
    global _default
    if _default is None:
        _default = Client()
    return _default


def compare(
    models: Sequence[Model | int | str],
    metrics: Sequence[str],
    max_points: int = 1000,
    as_dataframe: bool = False,
) -> Any:
    """See `Client.compare`."""
    return client().compare(models, metrics, max_points=max_points, as_dataframe=as_dataframe)


def __getattr__(name: str) -> Any:
    if name in REPOSITORIES:
        return getattr(client(), name)
    raise AttributeError(f"module 'modelyard' has no attribute {name!r}")
