"""A pipeline's settings and its runs, said in words on the pipeline pages."""

import json
from datetime import timedelta
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone

from pipelines.models import Pipeline, PipelineRun, PipelineTrigger, RunStatus
from pipelines.services.schedules import schedule_in_words

register = template.Library()

RUN_TRIGGERS = {
    PipelineTrigger.MANUAL: "Run now",
    PipelineTrigger.NEW_ITEMS: "New items",
    PipelineTrigger.SCHEDULE: "Schedule",
}


@register.filter
def trigger_in_words(pipeline: Pipeline) -> str:
    if pipeline.trigger == PipelineTrigger.NEW_ITEMS:
        count = pipeline.new_items_threshold or 0
        if count == 1:
            return "every new annotated train item"
        return f"every {count} new annotated train items"
    if pipeline.trigger == PipelineTrigger.SCHEDULE:
        return f"{schedule_in_words(pipeline.schedule)}: cron {pipeline.schedule}"
    return "manual only"


@register.filter
def rule_in_words(pipeline: Pipeline) -> str:
    """'accuracy, higher is better, by at least +0.01; no label may drop more than 0.05'."""
    direction = "higher" if pipeline.higher_is_better else "lower"
    words = f"{pipeline.metric}, {direction} is better, {_margin(pipeline.min_improvement)}"
    if pipeline.max_label_regression is not None:
        words += f"; no label may drop more than {pipeline.max_label_regression:g}"
    return words


def _margin(bound: float) -> str:
    if bound > 0:
        return f"by at least {bound:+g}"
    if bound < 0:
        return f"accepting a loss of up to {-bound:g}"
    return "by any margin"


@register.filter
def run_trigger(run: PipelineRun) -> str:
    return RUN_TRIGGERS.get(run.trigger, run.trigger)


@register.filter
def run_status(status: str) -> str:
    return RunStatus(status).label if status in RunStatus.values else status


@register.filter
def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@register.filter
def took(span) -> timedelta | None:
    """How long a run or a step took; for one still going, how long it has run."""
    if span.started_at is None:
        return None
    return (span.finished_at or timezone.now()) - span.started_at


@register.filter
def signed(value) -> str:
    return "—" if value is None else f"{value:+.4f}"


@register.filter
def needed_gain(bound) -> str:
    """What the rule asked of the gain: 0 means strictly more, any other bound at least it."""
    if bound is None:
        return "—"
    return "> 0" if bound == 0 else f"≥ {bound:+.4f}"


@register.filter
def number(value) -> str:
    return "—" if value is None else f"{value:.4f}"


@register.filter
def label_regressions(decision: dict) -> list[tuple[str, float]]:
    """The per-label drops of a decision, worst first."""
    drops = decision.get("label_regressions") or {}
    return sorted(drops.items(), key=lambda pair: (-pair[1], pair[0]))


@register.simple_tag
def compare_url(project, run: PipelineRun, metric: str) -> str:
    """The comparison page with the run's champion and challenger, on the rule's metric."""
    page = reverse("compare:page", args=[project.id])
    metric = quote(run.decision.get("metric") or metric, safe="")
    return f"{page}?models={run.champion_id},{run.challenger_id}&eval={metric}"
