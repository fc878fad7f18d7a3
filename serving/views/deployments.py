"""Deploy and Undeploy on the model page, its live deployment card, and the owner's
switch that lets annotators run predictions."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.views import pressed
from registry.access import role_for
from registry.models import Role
from registry.views.helpers import get_project_for_user
from registry.views.models import get_model_for_user
from serving import services as deployment_services
from serving.selectors import deployment_history


def _get_own_model(request: HttpRequest, project_id: int, model_id: int):
    """A model of the project for a developer; public pretrained ones are not deployed here."""
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    if model.is_public:
        raise Http404("Public versions are deployed after cloning them into a project.")
    return project, model


def _state(deployment) -> str:
    return deployment.get_state_display().lower()


def _undeployed(stopped: bool) -> str:
    return "undeployed" if stopped else "was not deployed"


@login_required
@require_POST
def model_deploy_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = _get_own_model(request, project_id, model_id)
    deploy = partial(deployment_services.model_deploy, model=model, user=request.user)
    pressed(request, deploy, lambda deployment: f"{model.name} is {_state(deployment)}.")
    return redirect("registry:model_detail", project.id, model.id)


@login_required
@require_POST
def model_undeploy_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = _get_own_model(request, project_id, model_id)
    undeploy = partial(deployment_services.model_undeploy, model=model, user=request.user)
    pressed(request, undeploy, lambda stopped: f"{model.name} {_undeployed(stopped)}.")
    return redirect("registry:model_detail", project.id, model.id)


@login_required
def model_deployment_card(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    """The Deployment card alone: htmx polls it while a deployment is starting."""
    project, model = get_model_for_user(request, project_id, model_id)
    context = {
        "project": project,
        "model": model,
        "role": role_for(request.user, project),
        "deployments": deployment_history(model),
    }
    return render(request, "serving/_model_deployment.html", context)


@login_required
@require_POST
def project_predict_setting(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.OWNER)
    allowed = request.POST.get("annotators_can_predict") == "on"
    # One flag of the project row, owner-only: nothing else changes with it.
    project.annotators_can_predict = allowed
    project.save(update_fields=["annotators_can_predict"])
    state = "may now" if allowed else "may no longer"
    messages.success(request, f"Annotators {state} run predictions with deployed models.")
    return redirect("registry:member_list", project.id)
