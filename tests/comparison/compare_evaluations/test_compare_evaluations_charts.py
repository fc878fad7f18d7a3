"""Metric by version follows the lineage; parallel coordinates show what differs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.comparison.compare_evaluations.conftest import (
    evaluate,
    log_last_value,
    models_query,
    section_url,
    set_created,
    version,
)

pytestmark = pytest.mark.django_db


def charts_for(client, cast, versions, **params) -> dict:
    client.force_login(cast.viewer)
    response = client.get(section_url(cast.project, models_query(versions, **params)))
    assert response.status_code == 200
    return response.context["charts"]


def names_in_order(charts: dict) -> list[str]:
    return [charts["versions"][index]["name"] for index in charts["by_version"]["versions"]]


def test_a_lineage_chain_is_drawn_root_first_whatever_the_order_asked(client, cast, lineage):
    v1, v2, v3 = lineage.versions
    # Created out of lineage order, so only the lineage can give v1, v2, v3.
    set_created(v1, timezone.now())

    charts = charts_for(client, cast, [v3, v1, v2], eval="mAP,recall")

    assert charts["by_version"]["order"] == "lineage"
    assert names_in_order(charts) == ["v1", "v2", "v3"]
    assert charts["by_version"]["values"] == [[0.31, 0.42, 0.57], [0.44, 0.55, 0.66]]


def test_a_chain_with_a_version_left_out_is_still_one_lineage(client, cast, lineage):
    v1, _, v3 = lineage.versions
    set_created(v1, timezone.now())

    charts = charts_for(client, cast, [v3, v1], eval="mAP")

    assert charts["by_version"]["order"] == "lineage"
    assert names_in_order(charts) == ["v1", "v3"]


def test_siblings_are_not_a_chain_and_go_in_creation_order(client, cast, lineage):
    v1, v2, _ = lineage.versions
    sibling = version(cast.project, v1.package, "sibling", parent=v1)
    set_created(sibling, v2.created_at - timedelta(hours=1))
    evaluate(sibling, lineage.dataset, summary={"mAP": 0.2})

    charts = charts_for(client, cast, [v2, sibling, v1], eval="mAP")

    assert charts["by_version"]["order"] == "created"
    assert names_in_order(charts) == ["v1", "sibling", "v2"]
    assert charts["by_version"]["values"] == [[0.31, 0.2, 0.42]]


def test_a_version_without_an_evaluation_is_a_gap_in_the_line(client, cast, lineage):
    v1, v2, v3 = lineage.versions
    lineage.evaluations[1].delete()

    charts = charts_for(client, cast, [v1, v2, v3], eval="mAP")

    assert charts["by_version"]["values"] == [[0.31, None, 0.57]]


def test_a_looping_parent_chain_does_not_hang(client, cast, lineage):
    v1, v2, _ = lineage.versions
    type(v1).objects.filter(pk=v1.pk).update(parent=v2)

    charts = charts_for(client, cast, [v1, v2], eval="mAP")

    assert charts["by_version"]["order"] == "created"


def test_parallel_axes_are_the_hyper_parameters_that_differ_then_the_metric(client, cast, lineage):
    charts = charts_for(client, cast, lineage.versions, eval="mAP")

    parallel = charts["parallel"]
    assert parallel["metric"] == "mAP"
    assert [axis["name"] for axis in parallel["axes"]] == [
        "epochs",
        "learning_rate",
        "optimizer.name",
    ]  # "seed" is the same everywhere
    epochs, rate, optimizer = parallel["axes"]
    assert epochs == {"name": "epochs", "kind": "number", "values": [10, 20, 20]}
    assert rate["values"] == [0.01, 0.005, 0.001]
    assert optimizer["kind"] == "category"
    assert optimizer["ticktext"] == ["adam", "sgd"]
    assert optimizer["values"] == [1, 0, 0]
    assert parallel["values"] == [0.31, 0.42, 0.57]


def test_a_hyper_parameter_missing_on_a_version_is_categorical(client, cast, lineage):
    v3 = lineage.versions[2]
    v3.configuration = {**v3.configuration, "augment": True}
    v3.save()

    charts = charts_for(client, cast, lineage.versions, eval="mAP")

    augment = next(axis for axis in charts["parallel"]["axes"] if axis["name"] == "augment")
    assert augment["kind"] == "category"
    assert augment["ticktext"] == ["true", "—"]
    assert augment["values"] == [1, 1, 0]


def test_the_parallel_metric_can_be_a_training_series_last_value(client, cast, lineage):
    v1, v2, v3 = lineage.versions
    log_last_value(v1, "loss/val", 0.9)
    log_last_value(v3, "loss/val", 0.4)

    charts = charts_for(client, cast, lineage.versions, eval="mAP", pc="metric:loss/val")

    parallel = charts["parallel"]
    assert parallel["title"] == "loss/val (last value)"
    assert parallel["versions"] == [0, 2]
    assert parallel["values"] == [0.9, 0.4]
    assert parallel["missing"] == [1]


def test_the_parallel_metric_defaults_to_the_first_chosen_one(client, cast, lineage):
    charts = charts_for(client, cast, lineage.versions, eval="recall,mAP")

    assert charts["parallel"]["metric"] == "recall"
    assert charts["parallel"]["values"] == [0.44, 0.55, 0.66]


def test_the_metric_chooser_offers_evaluation_keys_and_training_series(client, cast, lineage):
    log_last_value(lineage.versions[0], "loss/val", 0.9)
    client.force_login(cast.viewer)

    response = client.get(section_url(cast.project, models_query(lineage.versions, eval="mAP")))

    chooser = response.context["pc_chooser"]
    values = [option["value"] for option in chooser["options"]]
    assert values == ["mAP", "AP50", "AP75", "recall", "metric:loss/val"]
    assert ("eval", "mAP") in chooser["hidden"]
    assert all(name != "pc" for name, _ in chooser["hidden"])
