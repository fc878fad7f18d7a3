"""Versions with evaluations written straight to the database (no matching needed).

`lineage` is three box-detector versions, v1 → v2 → v3 (each cloned from the one
before), each with one succeeded evaluation on the same dataset and subset.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from comparison.models import MetricSeries
from data.models import AnnotationKind
from evaluation.models import Evaluation
from registry.models import ModelVersion
from tests.factories import DatasetFactory, ModelVersionFactory

SUMMARIES = [
    {"mAP": 0.31, "AP50": 0.52, "AP75": 0.28, "recall": 0.44, "counts": {"tp": 3}},
    {"mAP": 0.42, "AP50": 0.63, "AP75": 0.39, "recall": 0.55, "counts": {"tp": 4}},
    {"mAP": 0.57, "AP50": 0.78, "AP75": 0.51, "recall": 0.66, "counts": {"tp": 5}},
]
PER_LABELS = [
    {"cat": {"AP": 0.35, "AP50": 0.6, "recall": 0.5, "support": 4}, "dog": {"AP": 0.27}},
    {"cat": {"AP": 0.45, "AP50": 0.7, "recall": 0.6, "support": 4}, "dog": {"AP": 0.39}},
    {"cat": {"AP": 0.61, "AP50": 0.8, "recall": 0.7, "support": 4}, "dog": {"AP": 0.53}},
]
CONFIGURATIONS = [
    {"learning_rate": 0.01, "epochs": 10, "optimizer": {"name": "sgd"}, "seed": 1},
    {"learning_rate": 0.005, "epochs": 20, "optimizer": {"name": "adam"}, "seed": 1},
    {"learning_rate": 0.001, "epochs": 20, "optimizer": {"name": "adam"}, "seed": 1},
]


def section_url(project, query: str = "") -> str:
    return f"/projects/{project.id}/compare/evaluations/{query}"


def csv_url(project, chart: str, query: str = "") -> str:
    return f"/projects/{project.id}/compare/evaluations/{chart}.csv{query}"


def models_query(versions, **more) -> str:
    params = {"models": ",".join(str(version.id) for version in versions), **more}
    return "?" + "&".join(f"{key}={value}" for key, value in params.items())


def evaluate(model, dataset, *, summary, per_label=None, **fields) -> Evaluation:
    defaults = {
        "name": f"run {Evaluation.objects.filter(model=model).count() + 1}",
        "kind": "box",
        "mode": "offline",
        "status": "succeeded",
        "subset": "test",
    }
    return Evaluation.objects.create(
        project=model.project,
        model=model,
        dataset=dataset,
        summary=summary,
        per_label=per_label or {},
        **{**defaults, **fields},
    )


def set_created(row, when) -> None:
    type(row).objects.filter(pk=row.pk).update(created_at=when)
    row.refresh_from_db()


@dataclass
class Lineage:
    versions: list[ModelVersion]
    evaluations: list[Evaluation]
    dataset: object


def version(project, package, name: str, **fields) -> ModelVersion:
    return ModelVersionFactory(project=project, package=package, name=name, **fields)


@pytest.fixture
def box_dataset(cast):
    return DatasetFactory(project=cast.project, name="parts", annotation_kind=AnnotationKind.BOX)


@pytest.fixture
def lineage(cast, public_package, box_dataset) -> Lineage:
    versions, evaluations, parent = [], [], None
    start = timezone.now() - timedelta(days=10)
    for index in range(3):
        model = version(
            cast.project,
            public_package,
            f"v{index + 1}",
            parent=parent,
            configuration=CONFIGURATIONS[index],
        )
        set_created(model, start + timedelta(days=index))
        evaluations.append(
            evaluate(model, box_dataset, summary=SUMMARIES[index], per_label=PER_LABELS[index])
        )
        versions.append(model)
        parent = model
    return Lineage(versions=versions, evaluations=evaluations, dataset=box_dataset)


def log_last_value(model, name: str, value: float) -> MetricSeries:
    return MetricSeries.objects.create(
        model=model, name=name, point_count=1, first_step=0, last_step=0, last_value=value
    )
