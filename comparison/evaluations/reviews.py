"""Review marks on the errors of an evaluation: reads and writes, for the review page."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from comparison.models import EvalGroundTruth, EvalPrediction, Evaluation, ReviewMark, ReviewVerdict

UNMARKED = "unmarked"  # the filter value for errors nobody has marked yet
NOTE_LIMIT = 2000


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


def review_target(evaluation: Evaluation, key: str) -> dict:
    """{"prediction": row} or {"ground_truth": row} of this evaluation; ValidationError else."""
    model, field = {
        "p": (EvalPrediction, "prediction"),
        "g": (EvalGroundTruth, "ground_truth"),
    }.get(key[:1], (None, None))
    if model is None or not key[1:].isdigit():
        raise ValidationError("No such error in this evaluation.")
    row = model.objects.filter(evaluation=evaluation, pk=int(key[1:])).first()
    if row is None:
        raise ValidationError("No such error in this evaluation.")
    return {field: row}


def review_mark_set(
    *, evaluation: Evaluation, target: dict, verdict: str, note: str, user
) -> ReviewMark | None:
    """Set (or, with an empty verdict, remove) the mark on one error."""
    if not verdict:
        ReviewMark.objects.filter(evaluation=evaluation, **target).delete()
        return None
    if verdict not in ReviewVerdict.values:
        raise ValidationError("Unknown verdict.")
    mark, _ = ReviewMark.objects.update_or_create(
        evaluation=evaluation,
        **target,
        defaults={"verdict": verdict, "note": note[:NOTE_LIMIT], "marked_by": user},
    )
    return mark
