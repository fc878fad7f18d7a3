"""The jobs' part of other apps' pages: the model page's Training card."""

from django import template

from jobs.checkpoints import checkpoint_to_resume
from jobs.selectors import latest_job_for, queue_warning, train_blocker
from registry.models import ModelVersion

register = template.Library()


@register.inclusion_tag("jobs/_model_training.html", takes_context=True)
def model_training_card(context, model: ModelVersion) -> dict:
    """`{% model_training_card model %}`: Train or Cancel, the latest training's progress."""
    return {
        "model": model,
        "project": context["project"],
        "role": context["role"],
        "request": context["request"],
        "latest_job": latest_job_for(model),
        "train_blocker": train_blocker(model),
        "queue_warning": None if model.is_public else queue_warning(model),
        "resumable": None if model.is_public else checkpoint_to_resume(model=model),
    }
