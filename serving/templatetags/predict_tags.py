"""Deployment and prediction reads for pages whose views do not load them."""

from django import template

from serving import selectors as reads
from serving.services import may_predict

register = template.Library()


@register.simple_tag
def live_deployments(project) -> list:
    return list(reads.live_deployments(project))


@register.simple_tag
def predicting_models(project) -> list:
    return list(reads.predicting_models(project))


@register.simple_tag
def live_model_ids(project) -> set[int]:
    return reads.live_model_ids(project)


@register.simple_tag
def deployment_history(model) -> list:
    return reads.deployment_history(model)


@register.simple_tag
def user_may_predict(user, project) -> bool:
    return may_predict(user, project)


@register.filter
def predictions_only(annotations) -> list:
    return [one for one in annotations if one.model_id is not None]
