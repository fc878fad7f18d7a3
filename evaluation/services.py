"""Writes on evaluations: create, add predictions, finish (queue the computation), compute."""

import itertools
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import tasks
from data.models import Dataset, Item
from evaluation.bulk_sql import insert_rows, listed
from evaluation.compute import compute, delete_rows_of
from evaluation.models import (
    EvalGroundTruth,
    EvalPrediction,
    Evaluation,
    EvaluationMode,
    EvaluationStatus,
)
from jobs.models import Job, JobKind
from jobs.services import JobConflict, check_servable, job_queue
from registry.access import signed_in_or_none
from registry.models import ModelVersion, Subset
from registry.selectors.models import model_label_names

MAX_ROWS = 10_000
# Models round their coordinates; half a pixel past the edge is still "inside".
BOX_SLACK = 0.5
MAX_ERRORS = 50
# Evaluations started in the same second that a default name tries before giving up.
DEFAULT_NAME_ATTEMPTS = 50
# The columns predictions_add writes, with their PostgreSQL types; the matches come later.
INSERTED = {
    "evaluation_id": "bigint",
    "item_id": "bigint",
    "label_id": "bigint",
    "confidence": "float8",
    "x": "float8",
    "y": "float8",
    "w": "float8",
    "h": "float8",
    "iou_same": "float8",
    "iou_any": "float8",
}


def evaluation_create(
    *, model, dataset, user, subset: str | None = "test", mode: str = "offline", name: str = ""
) -> Evaluation:
    """A new evaluation of `model` on `dataset` (subset None or "": every item), status created.

    It belongs to the dataset's project: a public pretrained model is evaluated on a dataset
    of any project, and each project sees only its own evaluations of it. Checks: the dataset
    is in the model's project (for a project's model), the model's output type matches the
    dataset's annotation kind, the subset is valid. `name` defaults to "<subset> <timestamp>",
    with a " (2)"-style suffix when the model already has that name.
    """
    subset = subset or ""
    _check_evaluable(model, dataset, subset)
    fields = {
        "project_id": dataset.project_id,
        "model": model,
        "dataset": dataset,
        "subset": subset,
        "kind": dataset.annotation_kind,
        "mode": mode,
        "created_by": signed_in_or_none(user),
    }
    if not name:
        return _create_with_default_name(model, fields, subset)
    try:
        return _insert_evaluation(name, fields)
    except IntegrityError:
        raise ValidationError(
            {"name": f"{model.name} already has an evaluation {name!r}."}
        ) from None


def _insert_evaluation(name: str, fields: dict) -> Evaluation:
    # A savepoint: a name clash must not break the caller's transaction.
    with transaction.atomic():
        return Evaluation.objects.create(name=name, **fields)


def _create_with_default_name(model, fields: dict, subset: str) -> Evaluation:
    """Named "<subset> <timestamp>", or "<subset> <timestamp> (2)", (3)... when two
    evaluations start in the same second. The insert decides, not the look-up before
    it: a concurrent request that takes a name first only moves this one along."""
    base = f"{subset or 'all'} {timezone.now():%Y-%m-%d %H:%M:%S}"
    taken = set(
        Evaluation.objects.filter(model=model, name__startswith=base).values_list("name", flat=True)
    )
    candidates = (base if n == 1 else f"{base} ({n})" for n in itertools.count(1))
    free = (candidate for candidate in candidates if candidate not in taken)
    for name in itertools.islice(free, DEFAULT_NAME_ATTEMPTS):
        try:
            return _insert_evaluation(name, fields)
        except IntegrityError:
            if not Evaluation.objects.filter(model=model, name=name).exists():
                raise  # not a name clash
    raise ValidationError({"name": f"{model.name} has too many evaluations named {base!r}."})


def _check_evaluable(model, dataset, subset: str) -> None:
    if not model.is_public and dataset.project_id != model.project_id:
        raise ValidationError({"dataset": "The dataset is not in the model's project."})
    if model.package.output_type != dataset.annotation_kind:
        raise ValidationError(
            {
                "dataset": f"The model predicts {model.package.output_type} but the dataset is "
                f"annotated with {dataset.annotation_kind}."
            }
        )
    if subset and subset not in Subset.values:
        raise ValidationError({"subset": f"Choose one of {', '.join(Subset.values)} or none."})


def predictions_add(*, evaluation: Evaluation, rows: list[dict]) -> int:
    """Store up to 10,000 predictions, all or nothing; rows are
    {"item": id or file name, "label": name, "confidence": 0..1, "box": [x, y, w, h]?}.
    A 400-worthy ValidationError names the row: unknown item or label, box outside the
    image, confidence outside [0, 1], a box on a classification evaluation, or the
    evaluation not accepting predictions (status not created)."""
    if evaluation.status not in _accepting(evaluation):
        raise ValidationError(
            {"predictions": f"The evaluation is {evaluation.status}; it takes no more predictions."}
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError({"predictions": f"At most {MAX_ROWS} predictions per request."})
    columns = _valid_predictions(evaluation, rows)
    with transaction.atomic():
        insert_rows(
            EvalPrediction,
            [listed(*column) for column in zip(INSERTED, INSERTED.values(), columns, strict=True)],
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(
            prediction_count=F("prediction_count") + len(rows)
        )
    return len(rows)


def _valid_predictions(evaluation: Evaluation, rows: list) -> list[list]:
    """The rows as INSERTED columns; a ValidationError naming every bad row (up to 50)."""
    items = _items_named(evaluation, rows)
    labels = dict(evaluation.dataset.labels.values_list("name", "id"))
    errors: dict[str, str] = {}
    for index, row in enumerate(rows):
        found = _row_errors(evaluation, row, items, labels)
        errors.update({f"predictions[{index}].{field}": text for field, text in found.items()})
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ValidationError(errors)
    return _columns(evaluation, rows, items, labels)


def _items_named(evaluation: Evaluation, rows: list) -> dict:
    """Items of the evaluated subset named by the rows: key (id or name) → (id, w, h)."""
    refs = [row.get("item") for row in rows if isinstance(row, dict)]
    ids = {ref for ref in refs if isinstance(ref, int) and not isinstance(ref, bool)}
    names = {ref for ref in refs if isinstance(ref, str)}
    items = Item.objects.filter(dataset=evaluation.dataset)
    if evaluation.subset:
        items = items.filter(subset=evaluation.subset)
    found = {}
    columns = ("id", "name", "width", "height")
    for pk, _name, width, height in items.filter(id__in=ids).values_list(*columns):
        found[pk] = (pk, width, height)
    for pk, name, width, height in items.filter(name__in=names).values_list(*columns):
        found[name] = (pk, width, height)
    return found


def _row_errors(evaluation: Evaluation, row, items: dict, labels: dict) -> dict[str, str]:
    if not isinstance(row, dict):
        return {"item": "Each prediction is an object with item, label and confidence."}
    errors = {}
    item = items.get(row.get("item")) if isinstance(row.get("item"), int | str) else None
    if item is None:
        errors["item"] = _item_error(evaluation, row.get("item"))
    if row.get("label") not in labels:
        errors["label"] = f"No label {row.get('label')!r} in the dataset's label map."
    confidence = row.get("confidence")
    if not _is_number(confidence) or not 0 <= confidence <= 1:
        errors["confidence"] = "The confidence must be a number from 0 to 1."
    box_error = _box_error(evaluation, row.get("box"), item)
    if box_error:
        errors["box"] = box_error
    return errors


def _item_error(evaluation: Evaluation, ref) -> str:
    where = f"the {evaluation.subset} subset of " if evaluation.subset else ""
    return f"No item {ref!r} in {where}dataset {evaluation.dataset.name}."


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _box_error(evaluation: Evaluation, box, item) -> str | None:
    if evaluation.kind != "box":
        return None if box is None else "A classification evaluation takes no boxes."
    if not isinstance(box, list | tuple) or len(box) != 4 or not all(map(_is_number, box)):
        return "A box is [x, y, width, height], four numbers in pixels."
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return "A box needs a positive width and height."
    if item is not None:
        _, width, height = item
        if (
            x < -BOX_SLACK
            or y < -BOX_SLACK
            or x + w > width + BOX_SLACK
            or y + h > height + BOX_SLACK
        ):
            return f"The box {list(box)} is outside the {width}x{height} image."
    return None


def _columns(evaluation: Evaluation, rows: list[dict], items: dict, labels: dict) -> list[list]:
    # Plain floats: a box may mix ints and floats, and PostgreSQL arrays take one type.
    boxes = [[float(v) for v in row["box"]] if row.get("box") else (None,) * 4 for row in rows]
    return [
        [evaluation.pk] * len(rows),
        [items[row["item"]][0] for row in rows],
        [labels[row["label"]] for row in rows],
        [float(row["confidence"]) for row in rows],
        *([box[i] for box in boxes] for i in range(4)),
        [0.0] * len(rows),
        [0.0] * len(rows),
    ]


def evaluation_finish(*, evaluation: Evaluation, user):
    """Queue the computation (matching at ten IoU thresholds, metrics) as a Job of kind
    evaluate on the inference queue; returns the Job. Refused unless status is created."""
    with transaction.atomic():
        job = job_queue(
            task=tasks.COMPUTE_EVALUATION,
            kind=JobKind.EVALUATE,
            queue="inference",
            model=evaluation.model,
            user=user,
            parameters={"evaluation": evaluation.pk, "compute_only": True},
            project=evaluation.project,
        )
        # One conditional UPDATE, so two finishes racing queue one job.
        queued = Evaluation.objects.filter(
            pk=evaluation.pk, status=EvaluationStatus.CREATED
        ).update(status=EvaluationStatus.QUEUED, job=job)
        if not queued:
            raise JobConflict(
                f"The evaluation is {_status_now(evaluation)}; it cannot finish again."
            )
    evaluation.refresh_from_db()
    return job


def _accepting(evaluation: Evaluation) -> set[str]:
    """Uploads go to a created evaluation; the online job adds its own while it runs."""
    if evaluation.mode == EvaluationMode.ONLINE:
        return {EvaluationStatus.CREATED, EvaluationStatus.RUNNING}
    return {EvaluationStatus.CREATED}


def _status_now(evaluation: Evaluation) -> str:
    return Evaluation.objects.filter(pk=evaluation.pk).values_list("status", flat=True).first()


def evaluation_compute(*, evaluation: Evaluation, progress=None) -> Evaluation:
    """In the worker: snapshot the ground truth of the evaluated items, match, store the
    matches, compute summary / per_label / confusion / pr_curves; status succeeded.
    `progress(percent, message)` is called along the way when given."""
    say = progress or (lambda percent, message: None)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.RUNNING, error="")
    try:
        fields = compute(evaluation, say)
    except BaseException as error:
        _failed(evaluation, error)
        raise
    fields.update(status=EvaluationStatus.SUCCEEDED, finished_at=timezone.now(), error="")
    Evaluation.objects.filter(pk=evaluation.pk).update(**fields)
    evaluation.refresh_from_db()
    return evaluation


def _failed(evaluation: Evaluation, error: BaseException) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FAILED,
        error=f"{type(error).__name__}: {error}"[:5000],
        finished_at=timezone.now(),
    )


def evaluation_delete(*, evaluation: Evaluation) -> None:
    if evaluation.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING):
        raise JobConflict("The evaluation is being computed; delete it once it has ended.")
    with transaction.atomic():
        for model in (EvalPrediction, EvalGroundTruth):
            delete_rows_of(model, evaluation)
        evaluation.delete()


# --- Online: the package's adapter predicts in a worker (worker/evaluating.py) ---


def model_evaluate(
    *, model: ModelVersion, dataset: Dataset | None = None, subset: str | None = "test", user
) -> Job:
    """Queue an online evaluation of `model` on `dataset` (default: a project model's own).

    A public pretrained model needs `dataset`; the evaluation and its job belong to the
    dataset's project, whose developers may evaluate (the caller checks the role). The
    adapter's labels are matched to the dataset's by name.

    Refusals: ValidationError (400) for what the caller can fix in the request,
    JobConflict (409) when the workers cannot run the package's adapter.
    """
    if dataset is None and not model.is_public:
        dataset = model.dataset
    _check_evaluable_online(model, dataset)
    with transaction.atomic():
        evaluation = evaluation_create(
            model=model, dataset=dataset, user=user, subset=subset or "", mode="online"
        )
        job = job_queue(
            task=tasks.EVALUATE_MODEL,
            kind=JobKind.EVALUATE,
            queue="inference",
            model=model,
            user=user,
            parameters={"evaluation": evaluation.id},
            project=dataset.project,
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(job=job)
    return job


def _check_evaluable_online(model: ModelVersion, dataset: Dataset | None) -> None:
    if dataset is None:
        raise ValidationError({"dataset": "Choose a dataset to evaluate the model on."})
    if not model.is_public and dataset.project_id != model.project_id:
        raise ValidationError({"dataset": "The dataset is not in the model's project."})
    if model.package.output_type != dataset.annotation_kind:
        predicts = model.package.get_output_type_display().lower()
        holds = dataset.get_annotation_kind_display().lower()
        raise ValidationError(
            {"dataset": f"{model.package.name} predicts {predicts}; {dataset.name} holds {holds}."}
        )
    check_servable(model)
    _check_labels_shared(model, dataset)


def _check_labels_shared(model: ModelVersion, dataset: Dataset) -> None:
    """Predictions are matched to the ground truth by label name: with no name in common
    every prediction would be dropped. A model whose labels are unknown is not checked."""
    labels = model_label_names(model)
    names = list(dataset.labels.values_list("name", flat=True))
    if labels and not set(labels) & set(names):
        raise ValidationError(
            {
                "dataset": f"{model.name} and {dataset.name} have no label in common (labels "
                f"are matched by name): the model's are {_shown(labels)}; the dataset's are "
                f"{_shown(names) if names else 'none'}."
            }
        )


def _shown(names: list[str], limit: int = 10) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
