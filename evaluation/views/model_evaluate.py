"""The Evaluate button of the model page (its card: evaluation/templatetags/evaluation_tags.py).

A public pretrained model's page has it too: the evaluation belongs to the page's project,
whose dataset it reads.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.views import pressed
from evaluation.forms import EvaluateForm
from evaluation.services import model_evaluate
from registry.models import Role
from registry.views.models import get_model_for_user


@login_required
@require_POST
def model_evaluate_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(
        request, project_id, model_id, Role.DEVELOPER, public_ok=True
    )
    form = EvaluateForm(request.POST, model=model, project=project)
    if not form.is_valid():
        messages.error(request, "Choose a dataset and a subset to evaluate on.")
        return redirect("registry:model_detail", project.id, model.id)
    data = form.cleaned_data
    evaluate = partial(
        model_evaluate,
        model=model,
        dataset=data["dataset"],
        subset=data["subset"],
        user=request.user,
    )
    pressed(request, evaluate, lambda job: f"Evaluation queued as job #{job.id}.")
    return redirect("registry:model_detail", project.id, model.id)
