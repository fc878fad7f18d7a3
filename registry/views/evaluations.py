"""The model page's Evaluation card: the Evaluate form, the running job, past evaluations."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from comparison.evaluations.online import model_evaluate
from comparison.models import Evaluation, EvaluationStatus
from registry.models import (
    ACTIVE_JOB_STATUSES,
    Dataset,
    JobKind,
    JobStatus,
    ModelVersion,
    Project,
    Role,
)
from registry.services.jobs import JobConflict
from registry.views.helpers import flash_validation_error, get_project_for_user

SUBSET_CHOICES = [
    ("test", "Test"),
    ("validation", "Validation"),
    ("train", "Train"),
    ("none", "None (not in a subset)"),
    ("", "Every item"),
]
# The number the evaluations table shows for each kind of output.
HEADLINE = {"box": "mAP", "class": "accuracy"}
CARD_ROWS = 20


class EvaluateForm(forms.Form):
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.none(), empty_label=None)
    subset = forms.ChoiceField(choices=SUBSET_CHOICES, required=False, initial="test")

    def __init__(self, *args, model: ModelVersion, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only datasets whose annotations the package predicts.
        kind = model.package.output_type
        self.fields["dataset"].queryset = project.datasets.filter(annotation_kind=kind)
        self.fields["dataset"].initial = model.dataset_id


def _get_model_for_user(request: HttpRequest, project_id: int, model_id: int, role: str):
    project = get_project_for_user(request, project_id, role)
    model = ModelVersion.objects.select_related("package", "dataset").filter(pk=model_id).first()
    if model is None or model.project_id != project.id:
        raise Http404("No such model version.")
    return project, model


@login_required
@require_POST
def model_evaluate_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = _get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    form = EvaluateForm(request.POST, model=model, project=project)
    if not form.is_valid():
        messages.error(request, "Choose a dataset and a subset to evaluate on.")
        return redirect("registry:model_detail", project.id, model.id)
    data = form.cleaned_data
    try:
        job = model_evaluate(
            model=model, dataset=data["dataset"], subset=data["subset"], user=request.user
        )
    except ValidationError as error:
        flash_validation_error(request, error)
    except JobConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Evaluation queued as job #{job.id}.")
    return redirect("registry:model_detail", project.id, model.id)


def evaluation_card(model: ModelVersion, project: Project) -> dict:
    """What templates/registry/evaluations/_model_evaluations.html needs."""
    evaluations = list(
        Evaluation.objects.filter(model=model).select_related("dataset", "job")[:CARD_ROWS]
    )
    running = model.jobs.filter(kind=JobKind.EVALUATE, status__in=ACTIVE_JOB_STATUSES)
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
        return reverse("comparison:evaluation_review", args=[project.id, evaluation.id])
    except NoReverseMatch:
        # Until the review page exists, the job's page shows what happened.
        if evaluation.job_id is None:
            return None
        return reverse("registry:job_detail", args=[project.id, evaluation.job_id])
