"""What the metric pickers offer and the series summaries the tables and notices read.

Everything here reads summary rows (MetricSeries, Evaluation.summary), never the
points, so the page costs the same whatever the length of the series.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count

from comparison.models import MetricSeries
from comparison.models.metrics import SERIES_SUMMARY_FIELDS
from evaluation.models import Evaluation, EvaluationStatus

# The picker lists at most this many names; more is a sign of per-layer metrics.
MAX_METRIC_CHOICES = 500
# With no `metrics` in the link, the page opens on the names most versions share.
DEFAULT_METRIC_COUNT = 4
# The per-label keys each kind of evaluation writes (evaluation/metrics.py).
PER_LABEL_KEYS = {"box": ("AP", "AP50", "AP75", "recall"), "class": ("precision", "recall", "f1")}


@dataclass(frozen=True)
class MetricChoice:
    name: str
    versions: int  # how many of the chosen versions log it

    @property
    def group(self) -> str:
        return self.name.split("/", 1)[0]


def metric_choices(*, model_ids: Sequence[int]) -> tuple[list[MetricChoice], bool]:
    """The names any chosen version logs, by name, and whether the list was cut short."""
    if not model_ids:
        return [], False
    rows = (
        MetricSeries.objects.filter(model_id__in=model_ids)
        .values("name")
        .annotate(versions=Count("id"))
        .order_by("name")
    )
    found = [MetricChoice(row["name"], row["versions"]) for row in rows[: MAX_METRIC_CHOICES + 1]]
    return found[:MAX_METRIC_CHOICES], len(found) > MAX_METRIC_CHOICES


def grouped(choices: list[MetricChoice]) -> list[tuple[str, list[MetricChoice]]]:
    """`loss/train` and `loss/val` under `loss`, groups in name order."""
    groups: dict[str, list[MetricChoice]] = {}
    for choice in choices:
        groups.setdefault(choice.group, []).append(choice)
    return list(groups.items())


def default_metrics(choices: list[MetricChoice]) -> list[str]:
    ranked = sorted(choices, key=lambda choice: (-choice.versions, choice.name))
    return sorted(choice.name for choice in ranked[:DEFAULT_METRIC_COUNT])


def eval_choices(*, model_ids: Sequence[int]) -> list[str]:
    """Numeric summary keys of the versions' finished evaluations, then per-label keys."""
    if not model_ids:
        return []
    rows = Evaluation.objects.filter(model_id__in=model_ids, status=EvaluationStatus.SUCCEEDED)
    keys: dict[str, None] = {}
    per_label: dict[str, None] = {}
    for kind, summary in rows.values_list("kind", "summary"):
        keys.update(dict.fromkeys(_numeric_keys(summary)))
        per_label.update(dict.fromkeys(PER_LABEL_KEYS.get(kind, ())))
    return sorted(keys, key=str.lower) + [key for key in per_label if key not in keys]


def _numeric_keys(summary) -> list[str]:
    if not isinstance(summary, dict):
        return []
    return [
        str(key)
        for key, value in summary.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def series_summaries(
    *, model_ids: Sequence[int], names: Sequence[str]
) -> dict[tuple[int, str], MetricSeries]:
    """The summary row of every (version, metric) pair that has one, in one query."""
    if not model_ids or not names:
        return {}
    rows = MetricSeries.objects.filter(model_id__in=model_ids, name__in=names).only(
        "id", "model_id", "name", *SERIES_SUMMARY_FIELDS
    )
    return {(row.model_id, row.name): row for row in rows}


def downsampling_notes(
    *, summaries: dict[tuple[int, str], MetricSeries], names: Sequence[str], points: int
) -> list[dict]:
    """Per metric: how many series are drawn downsampled, and from how many points."""
    notes = []
    for name in names:
        counts = [row.point_count for (_, n), row in summaries.items() if n == name]
        reduced = [count for count in counts if count > points]
        if reduced:
            notes.append(
                {
                    "metric": name,
                    "reduced": len(reduced),
                    "series": len(counts),
                    "most": f"{max(reduced):,}",
                }
            )
    return notes
