"""The tracking app's part of the model page: the MLflow run a version was logged as."""

from django import template

from registry.models import ModelVersion
from tracking.selectors import run_of_model

register = template.Library()


@register.inclusion_tag("tracking/_model_run.html")
def model_run_card(model: ModelVersion) -> dict:
    """`{% model_run_card model %}`: nothing for a version that is not an MLflow run."""
    run = run_of_model(model)
    return {"run": run, "facts": run and run_facts(run)}


def run_facts(run) -> dict:
    seconds = (run.end_time - run.start_time) / 1000 if run.end_time and run.start_time else None
    tags = run.tags
    return {
        "seconds": seconds,
        "source": tags.get("mlflow.source.name", ""),
        "commit": tags.get("mlflow.source.git.commit", "")[:12],
        "logged_models": run.logged_models.count(),
    }
