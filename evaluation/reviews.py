"""Review marks on the errors of an evaluation: reads and writes, for the page and the API."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from evaluation.models import EvalGroundTruth, EvalPrediction, Evaluation, ReviewMark, ReviewVerdict

UNMARKED = "unmarked"  # the filter value for errors nobody has marked yet
NOTE_LIMIT = 2000
# A target field of a mark, and the rows it points at.
TARGETS = {"prediction": EvalPrediction, "ground_truth": EvalGroundTruth}
_KEY_FIELDS = {"p": "prediction", "g": "ground_truth"}


def target_key(row) -> str:
    """How a card names its error in forms: "p<id>" a prediction, "g<id>" a ground truth."""
    return f"g{row.id}" if isinstance(row, EvalGroundTruth) else f"p{row.id}"


def marks_for(evaluation: Evaluation, rows: list) -> dict[str, ReviewMark]:
    """The marks of a page of rows by target key, in one query."""
    predictions = [row.id for row in rows if isinstance(row, EvalPrediction)]
    truths = [row.id for row in rows if isinstance(row, EvalGroundTruth)]
    marks = ReviewMark.objects.filter(evaluation=evaluation)
    if predictions and truths:
        marks = marks.filter(prediction_id__in=predictions) | marks.filter(
            ground_truth_id__in=truths
        )
    elif predictions:
        marks = marks.filter(prediction_id__in=predictions)
    else:
        marks = marks.filter(ground_truth_id__in=truths)
    return {_key_of(mark): mark for mark in marks} if rows else {}


def _key_of(mark: ReviewMark) -> str:
    return f"p{mark.prediction_id}" if mark.prediction_id else f"g{mark.ground_truth_id}"


def filter_by_mark(rows: QuerySet, mark: str | None) -> QuerySet:
    if mark is None:
        return rows
    if mark == UNMARKED:
        return rows.filter(review_marks__isnull=True)
    return rows.filter(review_marks__verdict=mark)


def marks_of(evaluation: Evaluation, *, verdict: str | None = None) -> QuerySet:
    """The evaluation's marks, last marked first, with what a listing shows of each."""
    marks = ReviewMark.objects.filter(evaluation=evaluation)
    if verdict is not None:
        marks = marks.filter(verdict=verdict)
    return marks.select_related(
        "marked_by",
        "prediction__item",
        "prediction__label",
        "ground_truth__item",
        "ground_truth__label",
    ).order_by("-marked_at", "-id")


def review_target(evaluation: Evaluation, key: str) -> dict:
    """{"prediction": row} or {"ground_truth": row} of this evaluation; ValidationError else."""
    field = _KEY_FIELDS.get(key[:1])
    if field is None or not key[1:].isdigit():
        raise ValidationError("No such error in this evaluation.")
    return review_target_of(evaluation, field, int(key[1:]))


def review_target_of(evaluation: Evaluation, field: str, row_id: int) -> dict:
    """{field: row} for a prediction or ground truth of this evaluation; a ValidationError
    naming `field` when the evaluation has no such row."""
    row = (
        TARGETS[field]
        .objects.filter(evaluation=evaluation, pk=row_id)
        .select_related("item", "label")
        .first()
    )
    if row is None:
        noun = field.replace("_", " ")
        raise ValidationError({field: f"No {noun} {row_id} in this evaluation."})
    return {field: row}


def review_mark_set(
    *, evaluation: Evaluation, target: dict, verdict: str, note: str, user
) -> ReviewMark | None:
    """Set (create or replace) the mark on one error; an empty verdict removes it."""
    if not verdict:
        review_mark_remove(evaluation=evaluation, target=target)
        return None
    if verdict not in ReviewVerdict.values:
        raise ValidationError({"verdict": f"Choose one of {', '.join(ReviewVerdict.values)}."})
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": f"At most {NOTE_LIMIT} characters."})
    mark, _ = ReviewMark.objects.update_or_create(
        evaluation=evaluation,
        **target,
        defaults={"verdict": verdict, "note": note, "marked_by": user},
    )
    return mark


def review_mark_remove(*, evaluation: Evaluation, target: dict) -> bool:
    """Remove the mark on one error; False when it had none (removing twice is no error)."""
    deleted, _ = ReviewMark.objects.filter(evaluation=evaluation, **target).delete()
    return bool(deleted)
