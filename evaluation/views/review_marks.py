"""Review marks on the errors of an evaluation: set by annotators and above, read by all."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from evaluation.models import Evaluation
from evaluation.reviews import review_mark_set, review_target
from registry.models import Role
from registry.views.helpers import get_project_for_user


@login_required
@require_POST
def evaluation_review_mark(
    request: HttpRequest, project_id: int, evaluation_id: int
) -> HttpResponse:
    project = get_project_for_user(request, project_id, Role.ANNOTATOR)
    evaluation = get_object_or_404(Evaluation, pk=evaluation_id, project=project)
    key = request.POST.get("target", "")
    try:
        target = review_target(evaluation, key)
        mark = review_mark_set(
            evaluation=evaluation,
            target=target,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", "").strip(),
            user=request.user,
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if request.headers.get("HX-Request"):
        context = {"project": project, "evaluation": evaluation, "target": key, "mark": mark}
        context["can_mark"] = True
        return TemplateResponse(request, "evaluation/review/_mark.html", context)
    return redirect(_back(request, project, evaluation))


def _back(request: HttpRequest, project, evaluation: Evaluation) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("evaluation:evaluation_review", args=(project.id, evaluation.id))
