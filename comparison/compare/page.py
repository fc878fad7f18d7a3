"""Everything the comparison page shows for a selection, in a fixed number of queries.

No point is read here except, when a step is chosen, the one chunk per series that
holds the value at that step; the charts fetch their downsampled series themselves.
"""

from collections.abc import Sequence

from comparison.compare.config import config_table
from comparison.compare.metrics import (
    default_metrics,
    downsampling_notes,
    eval_choices,
    grouped,
    metric_choices,
    series_summaries,
)
from comparison.compare.selection import Selection
from comparison.compare.summary import summary_table
from registry.models import ModelVersion


def comparison_data(*, selection: Selection, versions: Sequence[ModelVersion]) -> dict:
    ids = [version.id for version in versions]
    choices, choices_cut = metric_choices(model_ids=ids)
    if selection.metrics is None:
        selection = selection.with_metrics(default_metrics(choices))
    names = list(selection.metrics)
    summaries = series_summaries(model_ids=ids, names=names)
    logged = {choice.name for choice in choices}
    offered_eval = eval_choices(model_ids=ids)
    return {
        "selection": selection,
        "versions": [{"version": v, "index": i} for i, v in enumerate(versions)],
        "metric_groups": grouped(choices),
        "metric_choices_cut": choices_cut,
        "chosen_metrics": names,
        # Asked for in the link but logged by none of these versions: still listed, so
        # the user sees why nothing is drawn and can untick it.
        "unlogged_metrics": [name for name in names if name not in logged],
        "eval_choices": offered_eval,
        "unoffered_eval": [key for key in selection.eval_keys if key not in offered_eval],
        "summary": summary_table(
            versions=versions,
            names=names,
            summaries=summaries,
            better=selection.better,
            at=selection.at,
        ),
        "config": config_table(versions=versions, differences_only=selection.differences_only),
        "notes": downsampling_notes(summaries=summaries, names=names, points=selection.points),
        "chart_spec": chart_spec(selection=selection, versions=versions, names=names),
    }


def chart_spec(*, selection: Selection, versions: Sequence[ModelVersion], names: list) -> dict:
    """What static/comparison/compare_charts.js draws from; names go as data, never HTML."""
    return {
        "models": [
            {"id": version.id, "name": version.name, "index": index}
            for index, version in enumerate(versions)
        ],
        "metrics": names,
        "options": selection.chart_options(),
    }
