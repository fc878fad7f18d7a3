"""The client: a signed-in session to one server, and the repositories of its entities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from modelyard.compare import compare
from modelyard.entities.datasets import Datasets
from modelyard.entities.evaluations import Evaluations
from modelyard.entities.jobs import Jobs
from modelyard.entities.models import Model, Models
from modelyard.entities.packages import Packages
from modelyard.entities.projects import Projects
from modelyard.session import PAGE_SIZE, Session

__all__ = ["PAGE_SIZE", "Client"]


class Client(Session):
    """A signed-in connection to one Modelyard server.

    ``url`` is the server's address (``http://localhost:8000``); ``token`` an API
    token from the profile page or ``POST /api/v1/auth/token``. Either falls back to
    ``MODELYARD_URL`` / ``MODELYARD_TOKEN``. Reads, PUTs and DELETEs are retried on
    connection errors and 502/503/504 with exponential backoff; POSTs are not,
    since the server might have acted on them.
    """

    # --- repositories -----------------------------------------------------------

    @property
    def projects(self) -> Projects:
        return Projects(self)

    @property
    def datasets(self) -> Datasets:
        return Datasets(self)

    @property
    def packages(self) -> Packages:
        return Packages(self)

    @property
    def models(self) -> Models:
        return Models(self)

    @property
    def jobs(self) -> Jobs:
        return Jobs(self)

    @property
    def evaluations(self) -> Evaluations:
        return Evaluations(self)

    def compare(
        self,
        models: Sequence[Model | int | str],
        metrics: Sequence[str],
        max_points: int = 1000,
        as_dataframe: bool = False,
    ) -> Any:
        """The metric series of several models, as the comparison view reads them.

        Returns a list of dicts ``{"model", "name", "total_points", "steps", "values",
        "timestamps"}`` (downsampled by the server to at most ``max_points`` each), or
        with ``as_dataframe=True`` a pandas DataFrame with one row per point.
        """
        return compare(self, models, metrics, max_points=max_points, as_dataframe=as_dataframe)
