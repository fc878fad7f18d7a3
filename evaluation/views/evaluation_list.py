"""The project's evaluations: newest first, filtered by model, dataset and status.

The filters live in the query string, read leniently like the review page's: an id
that is not the project's, or an unknown status, is dropped rather than an error.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from core.views import paginate
from data.models import Dataset
from evaluation.models import Evaluation, EvaluationStatus
from evaluation.views.review_summary import headline_metrics
from jobs.models import JobStatus
from registry.models import ModelVersion, Project
from registry.views.helpers import get_project_for_user, render_project_page

PER_PAGE = 25
# The model select lists this many evaluated models; ?model= takes any of the project's.
MODEL_CHOICES = 300
# Columns a row never shows: the PR curves and the confusion matrix can be large.
UNSHOWN = ("per_label", "confusion", "pr_curves", "job__log", "job__parameters")


@dataclass(frozen=True)
class ListFilters:
    model: ModelVersion | None = None
    dataset: Dataset | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.model or self.dataset or self.status)


def _id(query: QueryDict, key: str) -> int | None:
    value = query.get(key, "")
    return int(value) if value.isdigit() else None


def list_filters(query: QueryDict, project: Project, datasets: list[Dataset]) -> ListFilters:
    model_id, dataset_id = _id(query, "model"), _id(query, "dataset")
    model = None
    if model_id is not None:
        models = ModelVersion.objects.filter(Q(project=project) | Q(project__isnull=True))
        model = models.filter(pk=model_id).only("id", "name").first()
    status = query.get("status", "")
    return ListFilters(
        model=model,
        dataset=next((one for one in datasets if one.id == dataset_id), None),
        status=status if status in EvaluationStatus.values else "",
    )


def evaluations_of(project: Project, filters: ListFilters) -> QuerySet:
    rows = Evaluation.objects.filter(project=project)
    if filters.model is not None:
        rows = rows.filter(model=filters.model)
    if filters.dataset is not None:
        rows = rows.filter(dataset=filters.dataset)
    if filters.status:
        rows = rows.filter(status=filters.status)
    rows = rows.select_related("model", "dataset", "job", "created_by").defer(*UNSHOWN)
    return rows.order_by("-created_at", "-id")


def model_choices(project: Project, chosen: ModelVersion | None) -> list[ModelVersion]:
    # The project's evaluated models, public pretrained ones it evaluated included.
    models = ModelVersion.objects.filter(evaluations__project=project)
    found = list(models.distinct().order_by("name").only("id", "name")[:MODEL_CHOICES])
    if chosen is not None and chosen not in found:
        found.append(chosen)
    return found


def status_text(evaluation: Evaluation) -> str:
    # An online evaluation stays "created" while its job predicts; say what the job does.
    job = evaluation.job
    if evaluation.status == EvaluationStatus.CREATED and job is not None and job.is_active:
        return "predicting" if job.status == JobStatus.RUNNING else "queued"
    return evaluation.get_status_display()


def failure(evaluation: Evaluation) -> tuple[str, str]:
    """Why it failed, in one line and in full: its own error, else its job's (a traceback,
    whose last line says it)."""
    if evaluation.status != EvaluationStatus.FAILED:
        return "", ""
    text = evaluation.error or (evaluation.job.error if evaluation.job else "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else "No reason was recorded."), text


def row_of(evaluation: Evaluation) -> dict:
    failure_line, failure_text = failure(evaluation)
    return {
        "evaluation": evaluation,
        "status": status_text(evaluation),
        "failure": failure_line,
        "failure_text": failure_text,
        "headline": next(iter(headline_metrics(evaluation)), None),
        "counts": (evaluation.summary or {}).get("counts"),
    }


@login_required
def evaluation_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    datasets = list(Dataset.objects.filter(project=project).only("id", "name"))
    filters = list_filters(request.GET, project, datasets)
    page = paginate(request, evaluations_of(project, filters), per_page=PER_PAGE)
    context = {
        "page": page,
        "rows": [row_of(evaluation) for evaluation in page],
        "filters": filters,
        "models": model_choices(project, filters.model),
        "datasets": datasets,
        "statuses": EvaluationStatus.choices,
    }
    return render_project_page(request, "evaluation/list.html", project, "evaluations", context)
