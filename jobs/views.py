"""Jobs pages: the project's job list, one job, the live progress partial, Train and Cancel;
and /health/, which says whether the database and a worker answer."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.views import paginate, pressed
from jobs import services as job_services
from jobs.checkpoints import model_train_resume
from jobs.models import JobKind, JobStatus, WorkerHeartbeat
from jobs.selectors import jobs_for_project, queue_warning, train_blocker
from jobs.services import heartbeat_request
from registry.models import Role
from registry.views.helpers import get_project_for_user, render_project_page
from registry.views.models import get_model_for_user


def _get_job_for_user(request: HttpRequest, project_id: int, job_id: int, role: str = Role.VIEWER):
    project = get_project_for_user(request, project_id, role)
    job = get_object_or_404(jobs_for_project(project), pk=job_id)
    return project, job_services.job_reaped_if_stale(job=job)


@login_required
@require_POST
def model_train_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    blocker = train_blocker(model)
    if blocker is not None:
        # The words the disabled button stands over, for a press that got through anyway.
        messages.error(request, blocker)
    else:
        service = model_train_resume if request.POST.get("resume") else job_services.model_train
        train = partial(service, model=model, user=request.user)
        if pressed(request, train, lambda job: f"Training queued as job #{job.id}."):
            warning = queue_warning(model)
            if warning:
                messages.warning(request, warning)
    return redirect("registry:model_detail", project.id, model.id)


@login_required
def job_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    jobs = jobs_for_project(project)
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    if kind in JobKind.values:
        jobs = jobs.filter(kind=kind)
    page = paginate(request, jobs)
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": JobStatus.choices,
        "kinds": JobKind.choices,
        "any_active": any(job.is_active for job in page),
    }
    if not request.GET.get("rows"):
        return render_project_page(request, "jobs/list.html", project, "jobs", context)
    # htmx asks for the rows alone while jobs run; 286 (its "stop polling") once none does.
    done = 200 if context["any_active"] else 286
    return render_project_page(request, "jobs/_rows.html", project, "jobs", context, done)


@login_required
def job_detail(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    project, job = _get_job_for_user(request, project_id, job_id)
    return render_project_page(request, "jobs/detail.html", project, "jobs", {"job": job})


@login_required
def job_progress(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    """The progress partial htmx polls; when the job ends the page reloads to show the result."""
    project, job = _get_job_for_user(request, project_id, job_id)
    context = {"job": job, "project": project}
    response = render(request, "jobs/_progress.html", context)
    if not job.is_active and request.GET.get("reload_when_done"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    project, job = _get_job_for_user(request, project_id, job_id, Role.DEVELOPER)
    pressed(request, partial(job_services.job_cancel, job=job, user=request.user), _cancelled)
    return redirect(_safe_next(request) or reverse("jobs:job_detail", args=[project.id, job.id]))


def _cancelled(job) -> str:
    done = "cancelled" if job.status == JobStatus.CANCELLED else "asked to stop"
    return f"Job #{job.id} {done}."


def _safe_next(request: HttpRequest) -> str | None:
    """The page to go back to, if it is one of ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def health(request: HttpRequest) -> JsonResponse:
    """Database reachable, and when a worker last answered; asks the workers again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    heartbeat_request()
    age = (timezone.now() - last.seen_at).total_seconds() if last else None
    return JsonResponse(
        {
            "database": "ok",
            "worker": last.hostname if last else None,
            "worker_seen_seconds_ago": round(age, 1) if age is not None else None,
        }
    )
