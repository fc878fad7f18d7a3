"""Page fragments of the metrics store: the model page's charts."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comparison.selectors import model_metric_charts
from registry.views.models import get_model_for_user


@login_required
def model_metrics_partial(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    """The charts' data alone, polled by htmx while the model trains."""
    project, model = get_model_for_user(request, project_id, model_id, public_ok=True)
    context = {
        "project": project,
        "model": model,
        "metric_charts": model_metric_charts(model=model),
    }
    return render(request, "comparison/_model_metrics.html", context)
