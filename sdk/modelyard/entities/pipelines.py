"""Pipelines: a champion model, challengers trained from it, promoted when they win.

``project.pipelines.create(...)`` sets one up; ``pipeline.run()`` starts a run now (or,
while one is active, remembers the request and runs after it); ``pipeline.runs()``
lists the runs newest first, each with its steps and the decision.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from modelyard.entities.base import Entity, Repository, id_arg, id_of, one_of

if TYPE_CHECKING:
    from modelyard.entities.models import Model


class PipelineRun(Entity):
    """One run: ``status`` is queued, running, awaiting_approval, promoted, discarded,
    failed or cancelled; ``steps`` lists clone → train → evaluate → compare → promote."""

    path = "pipeline-runs"
    pipeline: int
    status: str
    steps: list[dict[str, Any]]
    decision: dict[str, Any]
    challenger: int | None
    error: str

    def refresh(self) -> PipelineRun:
        rows = self.client.paginate(f"pipelines/{self.pipeline}/runs")
        self._update(next(row for row in rows if row["id"] == self.id))
        return self

    def cancel(self) -> PipelineRun:
        """Cancel the run and its job; nothing is promoted."""
        self._update(self.client.post(f"{self.endpoint}/cancel"))
        return self

    def approve(self) -> PipelineRun:
        """Promote the challenger of a run awaiting approval."""
        self._update(self.client.post(f"{self.endpoint}/approve"))
        return self


class Pipeline(Entity):
    path = "pipelines"
    project: int
    dataset: int
    champion: int
    metric: str
    paused: bool

    def run(self) -> PipelineRun | None:
        """Start a run now; None when one is active (this one then runs after it)."""
        answer = self.client.post(f"{self.endpoint}/run")
        return PipelineRun(self.client, answer["run"]) if answer["run"] else None

    def pause(self) -> Pipeline:
        self._update(self.client.post(f"{self.endpoint}/pause"))
        return self

    def resume(self) -> Pipeline:
        self._update(self.client.post(f"{self.endpoint}/resume"))
        return self

    def update(self, **fields: Any) -> Pipeline:
        """Change the rule, trigger, overrides...: the fields of ``Pipelines.create``."""
        return self._patch({key: id_of(value) for key, value in fields.items()})

    def runs(self) -> builtins.list[PipelineRun]:
        rows = self.client.paginate(f"{self.endpoint}/runs")
        return [PipelineRun(self.client, row) for row in rows]

    def delete(self) -> None:
        """Delete the pipeline and its runs; raises Conflict while a run is active."""
        self._delete()


class Pipelines(Repository[Pipeline]):
    entity = Pipeline
    noun = "pipeline"

    def get(
        self, pipeline_name: str | None = None, pipeline_id: int | str | None = None
    ) -> Pipeline:
        one_of(pipeline_name, pipeline_id, "pipeline")
        if pipeline_id is not None:
            return self._by_id(pipeline_id)
        return self._by_name(str(pipeline_name))

    def create(
        self, pipeline_name: str, dataset: Any, champion: Model | int, **rule: Any
    ) -> Pipeline:
        """A pipeline in this project. ``rule``: metric, higher_is_better, min_improvement,
        max_label_regression, auto_promote, overrides, trigger (manual, new_items,
        schedule), new_items_threshold, schedule (5-field cron)."""
        body = {
            "project": self.scope["project"],
            "name": pipeline_name,
            "dataset": id_arg(dataset, "dataset"),
            "champion": id_arg(champion, "champion"),
            **rule,
        }
        return Pipeline(self.client, self.client.post("pipelines", body))
