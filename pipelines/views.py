"""Pipeline pages: list, create, edit, one pipeline with its runs (polled while one is
active); Run now, Pause, Resume, and Cancel or Approve a run."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.views import form_saved, pressed
from pipelines.forms import METRIC_SUGGESTIONS, PipelineForm, pipeline_initial
from pipelines.models import ACTIVE_RUN_STATUSES, Pipeline, PipelineRun, PipelineTrigger
from pipelines.selectors import (
    champion_choices,
    champion_deployment,
    new_items_waiting,
    pipeline_runs,
    pipelines_for_page,
    pipelines_for_project,
)
from pipelines.services import pipelines as pipeline_services
from pipelines.services.schedules import next_fire_at
from registry.models import Project, Role
from registry.views.helpers import get_project_for_user, render_project_page

RUNS_PER_PAGE = 20


def _get_pipeline_for_user(
    request: HttpRequest, project_id: int, pipeline_id: int, role: str = Role.VIEWER
) -> tuple[Project, Pipeline]:
    project = get_project_for_user(request, project_id, role)
    return project, get_object_or_404(pipelines_for_page(project), pk=pipeline_id)


def _get_run_for_user(
    request: HttpRequest, project_id: int, pipeline_id: int, run_id: int
) -> tuple[Project, Pipeline, PipelineRun]:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    return project, pipeline, get_object_or_404(pipeline.runs, pk=run_id)


def _render(request: HttpRequest, template: str, project: Project, context: dict, status=200):
    return render_project_page(request, template, project, "pipelines", context, status=status)


@login_required
def pipeline_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id)
    context = {"pipelines": pipelines_for_project(project)}
    return _render(request, "pipelines/list.html", project, context)


# --- Create and edit -----------------------------------------------------------------


def _pipeline_form(request: HttpRequest, project: Project, **kwargs) -> PipelineForm:
    return PipelineForm(
        request.POST or None,
        datasets=project.datasets.order_by("name"),
        champions=champion_choices(project),
        **kwargs,
    )


def _render_form(request: HttpRequest, project: Project, context: dict) -> HttpResponse:
    context["metric_suggestions"] = METRIC_SUGGESTIONS
    status = 400 if context["form"].errors else 200
    return _render(request, "pipelines/form.html", project, context, status)


@login_required
def pipeline_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.DEVELOPER)
    form = _pipeline_form(request, project)
    pipeline = form_saved(
        request,
        form,
        lambda data: pipeline_services.pipeline_create(project=project, user=request.user, **data),
    )
    if pipeline is not None:
        messages.success(request, f"Pipeline {pipeline.name} created.")
        return redirect("pipelines:pipeline_detail", project.id, pipeline.id)
    return _render_form(request, project, {"form": form})


@login_required
def pipeline_edit(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    form = _pipeline_form(request, project, initial=pipeline_initial(pipeline))
    saved = form_saved(
        request, form, lambda data: pipeline_services.pipeline_update(pipeline=pipeline, **data)
    )
    if saved is not None:
        messages.success(request, f"Pipeline {pipeline.name} saved.")
        return redirect("pipelines:pipeline_detail", project.id, pipeline.id)
    elif form.is_bound:
        pipeline.refresh_from_db()  # the service set the refused values on it
    return _render_form(request, project, {"form": form, "pipeline": pipeline})


@login_required
def pipeline_delete(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    """A confirmation; the POST deletes the pipeline and its runs, never their versions."""
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    if request.method == "POST":
        action = partial(pipeline_services.pipeline_delete, pipeline=pipeline, user=request.user)
        pressed(request, action, f"Pipeline {pipeline.name} deleted.")
        if not Pipeline.objects.filter(pk=pipeline.pk).exists():
            return redirect("pipelines:pipeline_list", project.id)
        return redirect("pipelines:pipeline_detail", project.id, pipeline.id)
    context = {"pipeline": pipeline, "runs": pipeline.runs.count(), "active": _active(pipeline)}
    return _render(request, "pipelines/delete.html", project, context)


def _active(pipeline: Pipeline) -> bool:
    return pipeline.runs.filter(status__in=ACTIVE_RUN_STATUSES).exists()


# --- The pipeline and its runs -------------------------------------------------------


def _page_context(request: HttpRequest, pipeline: Pipeline) -> dict:
    runs = Paginator(pipeline_runs(pipeline=pipeline), RUNS_PER_PAGE)
    page = runs.get_page(request.GET.get("page"))
    any_active = any(run.is_active for run in page)
    # Read again after the runs: a promotion commits its run and the new champion at
    # once, so a run shown promoted is shown with the champion it made.
    pipeline = pipelines_for_page(pipeline.project).get(pk=pipeline.pk)
    return {
        "pipeline": pipeline,
        "page": page,
        "any_active": any_active,
        "deployment": champion_deployment(pipeline),
        "next_fire_at": next_fire_at(pipeline),
        "new_items_waiting": new_items_waiting(pipeline),
    }


@login_required
def pipeline_detail(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id)
    context = _page_context(request, pipeline)
    return _render(request, "pipelines/detail.html", project, context)


@login_required
def pipeline_runs_partial(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    """The runs alone, polled by htmx while one is active; the champion card comes along
    out of band, since a run that ends may have promoted a new one."""
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id)
    context = {**_page_context(request, pipeline), "champion_out_of_band": True}
    return _render(request, "pipelines/_runs.html", project, context)


# --- Buttons -------------------------------------------------------------------------


@login_required
@require_POST
def pipeline_run_now(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    run = pipeline_services.pipeline_trigger(
        pipeline=pipeline, trigger=PipelineTrigger.MANUAL, user=request.user
    )
    if run is None:
        messages.info(request, "A run is active: this one is remembered and starts after it.")
    else:
        messages.success(request, f"Run #{run.id} queued.")
    return redirect("pipelines:pipeline_detail", project.id, pipeline.id)


@login_required
@require_POST
def pipeline_pause(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    done = "Paused: new items and the schedule start no run; Run now still does."
    pressed(request, partial(pipeline_services.pipeline_pause, pipeline=pipeline), done)
    return redirect("pipelines:pipeline_detail", project.id, pipeline.id)


@login_required
@require_POST
def pipeline_resume(request: HttpRequest, project_id: int, pipeline_id: int) -> HttpResponse:
    project, pipeline = _get_pipeline_for_user(request, project_id, pipeline_id, Role.DEVELOPER)
    done = f"Resumed: {pipeline.name} runs on its trigger again."
    pressed(request, partial(pipeline_services.pipeline_resume, pipeline=pipeline), done)
    return redirect("pipelines:pipeline_detail", project.id, pipeline.id)


@login_required
@require_POST
def run_cancel(
    request: HttpRequest, project_id: int, pipeline_id: int, run_id: int
) -> HttpResponse:
    project, pipeline, run = _get_run_for_user(request, project_id, pipeline_id, run_id)
    action = partial(pipeline_services.run_cancel, run=run, user=request.user)
    pressed(request, action, f"Run #{run.id} cancelled; nothing was promoted.")
    return redirect("pipelines:pipeline_detail", project.id, pipeline.id)


@login_required
@require_POST
def run_approve(
    request: HttpRequest, project_id: int, pipeline_id: int, run_id: int
) -> HttpResponse:
    project, pipeline, run = _get_run_for_user(request, project_id, pipeline_id, run_id)
    action = partial(pipeline_services.run_approve, run=run, user=request.user)
    pressed(request, action, f"Run #{run.id} approved: its challenger is the champion now.")
    return redirect("pipelines:pipeline_detail", project.id, pipeline.id)
