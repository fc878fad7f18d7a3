"""Model versions: clone, train, evaluate, update, artifacts, metrics and offline runs."""

from __future__ import annotations

import builtins
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelyard.entities.artifacts import Artifacts
from modelyard.entities.base import Entity, Repository, id_arg, one_of, optional_id
from modelyard.entities.evaluations import Evaluations
from modelyard.entities.jobs import Job
from modelyard.errors import QueueWarning
from modelyard.run import Run

if TYPE_CHECKING:
    from modelyard.entities.datasets import Dataset


class Model(Entity):
    """One model version. ``configuration`` holds its hyper-parameters; ``parent`` the id
    of the version it was cloned from; ``project`` is None for public pretrained ones."""

    path = "models"
    project: int | None
    public: bool
    package: int
    package_name: str
    status: str
    description: str
    configuration: dict[str, Any]
    labels: list[str]
    tags: list[str]
    dataset: int | None
    train_subset: str
    validation_subset: str
    test_subset: str
    parent: int | None
    created_at: str
    updated_at: str

    @property
    def artifacts(self) -> Artifacts:
        """Upload, list and download the model's files."""
        return Artifacts(self)

    def clone(
        self,
        model_name: str,
        configuration: dict[str, Any] | None = None,
        project_id: int | str | Entity | None = None,
        dataset: int | str | Dataset | None = None,
        description: str | None = None,
    ) -> Model:
        """A new version whose parent is this one; ``configuration`` is deep-merged over
        this one's. A public model needs ``project_id`` (a project where you develop);
        ``dataset`` (a `Dataset` or its id, of that project) is the one the clone trains on."""
        body = {
            "name": model_name,
            "configuration": configuration or {},
            "project": optional_id(project_id, "project_id"),
            "dataset": optional_id(dataset, "dataset"),
            "description": description,
        }
        body = {key: value for key, value in body.items() if value is not None}
        return Model(self.client, self.client.post(f"models/{self.id}/clone", body))

    def train(self, dataset: int | str | Dataset | None = None, resume: bool = False) -> Job:
        """Queue a training on a worker; ``.wait()`` on the job follows it. ``dataset`` (a
        `Dataset` or its id, of the model's project) becomes the model's dataset first; its
        labels become the model's unless the model's already name every one of them.

        A refused train raises `errors.BadRequest` (no dataset, saying how to give one; a
        dataset of another project) or `errors.Conflict` (already training, adapter not
        importable) with the reason; a refused train leaves the model's dataset as it was.

        ``resume=True`` goes on from the last checkpoint of the model's interrupted (failed
        or cancelled) training, at the epoch after it; `errors.Conflict` when there is none."""
        chosen = optional_id(dataset, "dataset")
        body = {} if chosen is None else {"dataset": chosen}
        if resume:
            body["resume"] = True
        answer = self.client.post(f"models/{self.id}/train", body)
        if answer.get("warning"):  # no running worker listens on the model's queue
            warnings.warn(answer["warning"], QueueWarning, stacklevel=2)
        job = Job(self.client, answer)
        if chosen is not None:
            self.refresh()
        return job

    def evaluate(
        self, dataset: int | str | Dataset | None = None, subset: str | None = "test"
    ) -> Job:
        """Have a worker run the package's adapter over ``dataset``'s ``subset`` (None: every
        item; the dataset defaults to the model's), store the predictions and compute the
        metrics; ``.wait()`` on the job follows it, ``job.evaluation_id`` names the result.
        A public pretrained model evaluates on a dataset of a project where you develop; the
        evaluation belongs to that project."""
        body = {"dataset": optional_id(dataset, "dataset"), "subset": subset or ""}
        answer = self.client.post(f"models/{self.id}/evaluate", body)
        job = Job(self.client, answer["job"])
        job.evaluation_id = answer["evaluation"]
        return job

    def deploy(self, concurrency: int = 1) -> dict[str, Any]:
        """Serve the model on the inference queue; answers the deployment (``state`` is
        "starting" until a worker has loaded it, then "ready", or "failed" with ``error``).
        Deploying a live model answers its deployment unchanged."""
        return self.client.post(f"models/{self.id}/deploy", {"concurrency": concurrency})

    def undeploy(self) -> dict[str, Any]:
        """Stop serving the model; raises `errors.Conflict` when it is not deployed."""
        return self.client.post(f"models/{self.id}/undeploy")

    def deployments(self) -> list[dict[str, Any]]:
        """Every deployment of this model, newest first, live or ended."""
        return list(self.client.paginate("deployments", model=self.id))

    def predict(
        self,
        items: Sequence[int | Any] | None = None,
        image: str | os.PathLike[str] | None = None,
    ) -> Job | list[dict[str, Any]]:
        """Predict with the deployed model.

        ``items`` (ids or items): a `Job` on the inference queue that stores the
        predictions on the items (``.wait()`` follows it; ``job.message`` counts the
        items that failed and ``job.log`` says why). ``image`` (a file path): the predictions now,
        ``[{"label", "confidence", "box"}]``. A model that is not deployed raises
        `errors.Conflict` naming the reason."""
        if (items is None) == (image is None):
            raise ValueError("Pass either items=[...] or image=path.")
        if items is not None:
            ids = [id_arg(item, "items") for item in items]
            return Job(self.client, self.client.post(f"models/{self.id}/predict", {"items": ids}))
        path = Path(image)
        answer = self.client.upload(f"models/{self.id}/predict", (), [("image", path, path.name)])
        return answer["predictions"]

    @property
    def evaluations(self) -> Evaluations:
        """The model's evaluations: list, get, and create an offline one."""
        return Evaluations(self.client, model=self)

    def update(self, model_name: str | None = None, **fields: Any) -> Model:
        """Change fields: description, configuration (replaced, not merged), labels, dataset,
        tags, train_subset, validation_subset, test_subset, queue (where its trainings go)."""
        if "dataset" in fields:
            fields["dataset"] = optional_id(fields["dataset"], "dataset")
        return self._patch({"name": model_name, **fields})

    def delete(self) -> None:
        """Delete the version (refused while it is queued, training or deployed)."""
        self._delete()

    def metrics(self) -> list[dict[str, Any]]:
        """A summary of each metric series logged on this model."""
        return list(self.client.paginate(f"models/{self.id}/metrics"))

    def log_metrics(self, points: list[dict[str, Any]]) -> int:
        """Send points ``{"name", "step", "value", "timestamp"?}`` now, in one request of at
        most 10,000 (all or nothing); returns how many the server accepted."""
        body = self.client.post(f"models/{self.id}/metrics", {"metrics": points})
        return int(body["accepted"])

    def run(self, **options: Any) -> Run:
        """An offline run: ``with model.run() as run: run.log({"loss": 0.3}, step=1)``.
        Options: ``batch_size``, ``flush_interval``, ``max_pending`` (see `modelyard.Run`)."""
        return Run(self, **options)


class Models(Repository[Model]):
    entity = Model
    noun = "model"

    def get(
        self,
        model_id: int | str | None = None,
        model_name: str | None = None,
        project_id: int | str | Entity | None = None,
    ) -> Model:
        """A version by id, or by name (within this package or project; the project's
        own before a public one when ``project_id`` is given)."""
        one_of(model_name, model_id, "model")
        if model_id is not None:
            return self._by_id(model_id)
        project = optional_id(project_id, "project_id") or self.scope.get("project")
        return self._by_name(str(model_name), project=project)

    def list(self, **filters: Any) -> builtins.list[Model]:
        """Versions in scope; filters: status, tag, dataset, parent, name, search,
        public, ordering (e.g. ``"-created_at"``), project, package."""
        return super().list(**filters)

    def create(
        self,
        model_name: str,
        package: int | str | Entity | None = None,
        project_id: int | str | Entity | None = None,
        **fields: Any,
    ) -> Model:
        """A new, empty version (e.g. for offline mode). Other fields: description,
        configuration, labels, dataset, tags, the subsets, status ("created"/"pre-trained")."""
        project = optional_id(project_id, "project_id") or self.scope.get("project")
        package_id = optional_id(package, "package") or self.scope.get("package")
        if project is None or package_id is None:
            raise TypeError("A new model needs a project and a package.")
        if "dataset" in fields:
            fields["dataset"] = optional_id(fields["dataset"], "dataset")
        body = {"name": model_name, "project": project, "package": package_id, **fields}
        return Model(self.client, self.client.post("models", body))
