"""Evaluations: a model's predictions on a dataset subset, matched to the ground truth.

Online, ``model.evaluate(dataset=...)`` has a worker run the package's adapter;
offline, ``model.evaluations.create(...)`` takes predictions made elsewhere:
``upload_predictions`` them, then ``finish()`` and read ``metrics`` and ``errors``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from modelyard.entities.base import Entity, Repository, id_arg, optional_id
from modelyard.entities.jobs import Job
from modelyard.session import PAGE_SIZE

if TYPE_CHECKING:
    from modelyard.entities.datasets import Dataset

#: The most predictions the server takes in one request.
PREDICTIONS_PER_REQUEST = 10_000


class Evaluation(Entity):
    """One evaluation. ``status`` is created (accepting predictions), queued, running,
    succeeded or failed; ``subset`` is "" when it covers every item of the dataset."""

    path = "evaluations"
    model: int
    dataset: int
    subset: str
    kind: str
    mode: str
    status: str
    error: str

    @property
    def metrics(self) -> dict[str, Any]:
        """The headline metrics, read again from the server: ``{"mAP", "AP50", "AP75", ...,
        "per_label": {...}}`` for boxes, ``{"accuracy", ..., "per_label": {...}}`` for classes."""
        self.refresh()
        summary = dict(self.raw.get("summary") or {})
        if "per_label" not in summary and self.raw.get("per_label") is not None:
            summary["per_label"] = self.raw["per_label"]
        return summary

    def upload_predictions(
        self, rows: Iterable[dict[str, Any]], chunk_size: int = PREDICTIONS_PER_REQUEST
    ) -> int:
        """Send predictions ``{"item": file name or id, "label", "confidence", "box"?}``
        (boxes ``[x, y, width, height]`` in pixels) in requests of at most 10,000 rows;
        returns how many the server accepted. A bad row raises `errors.BadRequest`
        naming it; the chunks sent before it stay stored."""
        size = max(1, min(int(chunk_size), PREDICTIONS_PER_REQUEST))
        accepted = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(_plain_row(row))
            if len(chunk) == size:
                accepted += self._send_predictions(chunk)
                chunk = []
        if chunk:
            accepted += self._send_predictions(chunk)
        return accepted

    def finish(self) -> Job:
        """Match the predictions and compute the metrics on a worker; ``.wait()`` on the job."""
        body = self.client.post(f"{self.endpoint}/finish")
        job = Job(self.client, body["job"] if isinstance(body.get("job"), dict) else body)
        self.refresh()
        return job

    def errors(
        self,
        kind: str = "fp",
        iou: float = 0.5,
        min_confidence: float = 0.0,
        label: str | None = None,
        mark: str | None = None,
        **filters: Any,
    ) -> builtins.list[dict[str, Any]]:
        """The false positives (``kind="fp"``) or negatives (``"fn"``) at an IoU and a
        confidence threshold, every page of them, each with its review ``mark`` (or None).
        ``mark="unmarked"`` or a verdict keeps only those errors; other filters go to the
        server as is."""
        params = {"kind": kind, "iou": iou, "min_confidence": min_confidence, "label": label}
        params["mark"] = mark
        return list(self.client.paginate(f"{self.endpoint}/errors", **params, **filters))

    def marks(self, verdict: str | None = None) -> builtins.list[dict[str, Any]]:
        """The review marks, every page of them, last marked first; each names its error by
        ``prediction`` (a false positive) or ``ground_truth`` (a false negative) id."""
        return list(self.client.paginate(f"{self.endpoint}/marks", verdict=verdict))

    def mark(
        self,
        prediction: int | None = None,
        ground_truth: int | None = None,
        *,
        verdict: str,
        note: str = "",
    ) -> dict[str, Any]:
        """Mark one error, named by the ``id`` of its `errors` row: ``prediction=`` for a
        false positive, ``ground_truth=`` for a false negative. ``verdict`` is "gt_wrong",
        "confirmed" or "ignore"; marking again replaces the mark. Returns the mark."""
        body = {**_target(prediction, ground_truth), "verdict": verdict, "note": note}
        return dict(self.client.request("PUT", f"{self.endpoint}/marks", json=body).json())

    def unmark(self, prediction: int | None = None, ground_truth: int | None = None) -> None:
        """Remove the mark of one error (no error when it has none)."""
        target = _target(prediction, ground_truth)
        self.client.request("DELETE", f"{self.endpoint}/marks", params=target)

    def counts(self, iou: float = 0.5, min_confidence: float = 0.0) -> dict[str, Any]:
        """TP / FP / FN, precision, recall and F1 at an (IoU, confidence) pair."""
        return self.client.get(f"{self.endpoint}/counts", iou=iou, min_confidence=min_confidence)

    def diff(
        self,
        against: int | Evaluation,
        iou: float = 0.5,
        min_confidence: float = 0.0,
        label: str | None = None,
        change: str | None = None,
        limit: int | None = None,
    ) -> dict[str, Any]:
        """What changed since ``against`` (another finished evaluation of the same dataset,
        usually an older version's) at an (IoU, confidence) pair: ``{"against", "iou",
        "min_confidence", "totals", "per_label", "count", "items"}``. The counts are
        ``regressed`` (found then, missed now), ``fixed``, ``new_fp`` and ``fp_gone``;
        ``items`` the changed items, worst first: every page of them, or the first ``limit``
        (0 reads the counts only). ``change`` keeps the items with that change."""
        params = {"against": id_arg(against, "against"), "iou": iou}
        params["min_confidence"] = min_confidence
        params.update(label=label, change=change)
        size = PAGE_SIZE if limit is None else max(1, min(limit, PAGE_SIZE))
        body = self.client.get(f"{self.endpoint}/diff", page_size=size, **params)
        items, url = body.pop("results", []), body.pop("next", None)
        body.pop("previous", None)
        while url and (limit is None or len(items) < limit):
            page = self.client.get(url)
            items.extend(page.get("results", []))
            url = page.get("next")
        body["items"] = items if limit is None else items[:limit]
        return body

    def _send_predictions(self, chunk: list[dict[str, Any]]) -> int:
        body = self.client.post(f"{self.endpoint}/predictions", {"predictions": chunk})
        return int((body or {}).get("accepted", len(chunk)))


class Evaluations(Repository[Evaluation]):
    """The evaluations of one model (``model.evaluations``) or of everything you can read."""

    entity = Evaluation
    noun = "evaluation"

    def get(self, evaluation_id: int | str) -> Evaluation:
        """An evaluation by id."""
        return self._by_id(evaluation_id)

    def list(self, **filters: Any) -> builtins.list[Evaluation]:
        """Evaluations in scope; filters go to the list endpoint (dataset, status, name...)."""
        return super().list(**filters)

    def create(
        self,
        dataset: int | str | Dataset,
        subset: str | None = "test",
        name: str | None = None,
        model: Any = None,
    ) -> Evaluation:
        """An offline evaluation on ``dataset``'s ``subset`` (None: every item), ready for
        `Evaluation.upload_predictions`."""
        model_id = optional_id(model, "model") or self.scope.get("model")
        if model_id is None:
            raise TypeError("A new evaluation needs a model: use model.evaluations.create(...).")
        body = {"model": model_id, "dataset": id_arg(dataset, "dataset"), "subset": subset or ""}
        if name is not None:
            body["name"] = name
        return Evaluation(self.client, self.client.post("evaluations", body))


def _target(prediction: int | None, ground_truth: int | None) -> dict[str, int]:
    if prediction is not None and ground_truth is None:
        return {"prediction": id_arg(prediction, "prediction")}
    if ground_truth is not None and prediction is None:
        return {"ground_truth": id_arg(ground_truth, "ground_truth")}
    raise TypeError("Give either prediction= or ground_truth=.")


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: numpy numbers and tuples as floats and lists."""
    plain = dict(row)
    if "confidence" in plain:
        plain["confidence"] = float(plain["confidence"])
    if plain.get("box") is not None:
        plain["box"] = [float(value) for value in _sequence(plain["box"])]
    item = plain.get("item")
    if item is not None and not isinstance(item, str):
        plain["item"] = id_arg(item, "item")
    return plain


def _sequence(box: Any) -> Sequence[Any]:
    return box.tolist() if hasattr(box, "tolist") else list(box)
