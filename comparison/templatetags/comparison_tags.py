"""The metrics store's part of other apps' pages: the model page's metric charts."""

from django import template

from comparison.selectors import model_metric_charts
from registry.models import ModelVersion

register = template.Library()


@register.inclusion_tag("comparison/_model_metrics.html", takes_context=True)
def model_metrics_card(context, model: ModelVersion) -> dict:
    """`{% model_metrics_card model %}`; htmx polls comparison:model_metrics_partial for more."""
    return {
        "project": context["project"],
        "model": model,
        "metric_charts": model_metric_charts(model=model),
    }
