"""The evaluations' part of the model page: its Evaluation card."""

from django import template
from django.urls import NoReverseMatch, reverse

from evaluation.forms import SUBSET_CHOICES, EvaluateForm
from evaluation.models import Evaluation, EvaluationStatus
from jobs.models import ACTIVE_JOB_STATUSES, JobKind, JobStatus
from registry.models import ModelVersion, Project

register = template.Library()

# The number the evaluations table shows for each kind of output.
HEADLINE = {"box": "mAP", "class": "accuracy"}
CARD_ROWS = 20


@register.inclusion_tag("evaluation/_model_evaluations.html", takes_context=True)
def model_evaluations_card(context, model: ModelVersion) -> dict:
    """`{% model_evaluations_card model %}` on the model page."""
    project = context["project"]
    page = {"model": model, "project": project, "role": context["role"]}
    return {**page, "artifacts": context["artifacts"], **evaluation_card(model, project)}


def evaluation_card(model: ModelVersion, project: Project) -> dict:
    # The page's project only: a public model's evaluations belong to many projects.
    evaluations = Evaluation.objects.filter(model=model, project=project)
    evaluations = list(evaluations.select_related("dataset", "job")[:CARD_ROWS])
    running = model.jobs.filter(
        project=project, kind=JobKind.EVALUATE, status__in=ACTIVE_JOB_STATUSES
    )
    form = EvaluateForm(model=model, project=project)
    return {
        "evaluate_datasets": list(form.fields["dataset"].queryset),
        "evaluate_subsets": SUBSET_CHOICES,
        "evaluate_job": running.order_by("-id").first(),
        "evaluation_rows": [_row(evaluation, project) for evaluation in evaluations],
        "evaluation_headline": HEADLINE.get(model.package.output_type, "accuracy"),
    }


def _row(evaluation: Evaluation, project: Project) -> dict:
    headline = HEADLINE.get(evaluation.kind, "accuracy")
    return {
        "evaluation": evaluation,
        "status": _status(evaluation),
        "headline": (evaluation.summary or {}).get(headline),
        "url": _review_url(evaluation, project),
    }


def _status(evaluation: Evaluation) -> str:
    # An online evaluation stays "created" while its job predicts; say what the job does.
    job = evaluation.job
    if evaluation.status == EvaluationStatus.CREATED and job is not None and job.is_active:
        return "predicting" if job.status == JobStatus.RUNNING else "queued"
    return evaluation.get_status_display()


def _review_url(evaluation: Evaluation, project: Project) -> str | None:
    try:
        return reverse("evaluation:evaluation_review", args=[project.id, evaluation.id])
    except NoReverseMatch:
        # Until the review page exists, the job's page shows what happened.
        if evaluation.job_id is None:
            return None
        return reverse("jobs:job_detail", args=[project.id, evaluation.job_id])
