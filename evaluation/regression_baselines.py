"""Which evaluations a regression diff may compare with, and the check of a chosen one.

A baseline is another finished evaluation of the same project, dataset and kind. Its
subset must overlap the current one's: the same subset, or either covering every item.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from evaluation.models import Evaluation, EvaluationStatus

FIELD = "against"


def diff_baselines(evaluation: Evaluation) -> QuerySet:
    """The evaluations `evaluation` can be compared with, newest first."""
    rows = Evaluation.objects.filter(
        project_id=evaluation.project_id,
        dataset_id=evaluation.dataset_id,
        kind=evaluation.kind,
        status=EvaluationStatus.SUCCEEDED,
    ).exclude(pk=evaluation.pk)
    if evaluation.subset:
        rows = rows.filter(Q(subset=evaluation.subset) | Q(subset=""))
    return rows.select_related("model").order_by("-created_at", "-id")


def _subset_name(evaluation: Evaluation) -> str:
    return f"the {evaluation.subset} subset" if evaluation.subset else "every item"


def _problem(current: Evaluation, baseline: Evaluation) -> str | None:
    if baseline.pk == current.pk:
        return "Choose an evaluation other than this one."
    if baseline.dataset_id != current.dataset_id:
        return (
            f"Evaluation {baseline.pk} is on another dataset; compare evaluations of one dataset."
        )
    if baseline.kind != current.kind:
        return f"Evaluation {baseline.pk} is a {baseline.get_kind_display().lower()} evaluation."
    if baseline.status != EvaluationStatus.SUCCEEDED:
        return f"Evaluation {baseline.pk} is {baseline.status}, not finished."
    if current.subset and baseline.subset and current.subset != baseline.subset:
        return (
            f"Evaluation {baseline.pk} covers {_subset_name(baseline)} and this one "
            f"{_subset_name(current)}: they share no item."
        )
    return None


def baseline_for(current: Evaluation, against) -> Evaluation:
    """The evaluation named by `against` (an id), checked against `current`.

    A ValidationError naming `against` otherwise; an id of another project reads like an
    unknown one, so the message tells nothing about other projects."""
    if current.status != EvaluationStatus.SUCCEEDED:
        raise ValidationError(f"This evaluation is {current.status}; compare it once it is done.")
    try:
        against = int(against)
    except (TypeError, ValueError):
        raise ValidationError({FIELD: "Give the id of the evaluation to compare with."}) from None
    rows = Evaluation.objects.select_related("model")
    baseline = rows.filter(project_id=current.project_id, pk=against).first()
    if baseline is None:
        raise ValidationError({FIELD: f"No evaluation {against} in this project."})
    problem = _problem(current, baseline)
    if problem:
        raise ValidationError({FIELD: problem})
    return baseline
