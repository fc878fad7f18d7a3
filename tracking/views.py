"""The pages behind the links the mlflow client prints (`<tracking URI>/#/experiments/
<id>/runs/<run id>`): they open the run's version, or the experiment's project."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from tracking import selectors
from tracking.errors import DoesNotExist


def mlflow_home(request):
    """The fragment never reaches the server: the page's script reads it and moves on."""
    return render(request, "tracking/mlflow_home.html")


@login_required
def run_page(request, run_id: str):
    run = _found(selectors.run_for, request.user, run_id)
    return redirect("registry:model_detail", run.experiment.project_id, run.model_id)


@login_required
def experiment_page(request, experiment_id: int):
    experiment = _found(selectors.experiment_for, request.user, experiment_id)
    return redirect("registry:model_list", experiment.project_id)


def _found(select, user, key):
    """The selector's answer; the API's DoesNotExist is a page's 404."""
    try:
        return select(user, key)
    except DoesNotExist as missing:
        raise Http404(missing.message) from None
