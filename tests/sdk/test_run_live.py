"""Offline runs against the real metrics endpoints."""

import pytest

from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def model(yard, owner):
    return yard.models.get(model_id=ModelVersionFactory(project=owner.project).id)


def test_an_offline_run_stores_every_one_of_20000_points(model):
    with model.run() as run:
        for step in range(10_000):
            run.log({"loss/train": 1 / (step + 1), "accuracy/val": step / 10_000})

    summaries = {summary["name"]: summary for summary in model.metrics()}
    assert run.sent == 20_000
    assert summaries["loss/train"]["point_count"] == 10_000
    assert summaries["accuracy/val"]["point_count"] == 10_000
    assert summaries["loss/train"]["last_step"] == 9_999
    assert summaries["accuracy/val"]["last_value"] == pytest.approx(0.9999)


def test_compare_reads_the_series_of_two_models(yard, owner, model):
    other = yard.models.get(model_id=ModelVersionFactory(project=owner.project).id)
    for each in (model, other):
        with each.run() as run:
            for step in range(50):
                run.log({"loss/val": 1.0 / (step + 1 + each.id)}, step=step)

    series = yard.compare(models=[model, other.id], metrics=["loss/val"], max_points=10)

    assert [(one["model"], one["name"]) for one in series] == [
        (model.id, "loss/val"),
        (other.id, "loss/val"),
    ]
    assert all(one["total_points"] == 50 for one in series)
    assert all(len(one["steps"]) <= 10 for one in series)
    assert series[0]["steps"][0] == 0
    assert series[0]["steps"][-1] == 49


def test_log_metrics_sends_points_at_once(model):
    points = [{"name": "acc", "step": step, "value": 0.5} for step in range(3)]

    assert model.log_metrics(points) == 3
    assert model.metrics()[0]["point_count"] == 3
