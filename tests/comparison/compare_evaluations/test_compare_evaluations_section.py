"""The section shows each version's chosen evaluation: the numbers it stored, no others."""

from datetime import timedelta

import pytest
from django.utils import timezone

from data.models import AnnotationKind
from tests.comparison.compare_evaluations.conftest import (
    evaluate,
    models_query,
    section_url,
    set_created,
    version,
)
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def charts_of(client, project, query):
    response = client.get(section_url(project, query))
    assert response.status_code == 200
    return response, response.context["charts"]


def test_the_bars_show_the_stored_summary_of_each_version(client, cast, lineage):
    client.force_login(cast.viewer)

    _, charts = charts_of(client, cast.project, models_query(lineage.versions, eval="mAP,AP50"))

    assert charts["bars"]["metrics"] == ["mAP", "AP50"]
    stored = [[e.summary["mAP"], e.summary["AP50"]] for e in lineage.evaluations]
    assert [row["values"] for row in charts["bars"]["rows"]] == stored
    assert [v["name"] for v in charts["versions"]] == ["v1", "v2", "v3"]


def test_the_heatmap_shows_the_stored_per_label_numbers(client, cast, lineage):
    client.force_login(cast.viewer)

    _, charts = charts_of(client, cast.project, models_query(lineage.versions))

    heat = charts["heatmap"]
    assert heat["labels"] == ["cat", "dog"]
    assert heat["default"] == "AP"
    assert "support" in heat["keys"]
    assert "support" not in heat["score_keys"]
    for row, evaluation in zip(heat["rows"], lineage.evaluations, strict=True):
        per_label = evaluation.per_label
        assert row["values"]["AP"] == [per_label["cat"]["AP"], per_label["dog"]["AP"]]
        assert row["values"]["AP50"] == [per_label["cat"]["AP50"], None]


def test_classification_evaluations_default_the_heatmap_to_f1(client, cast, public_package):
    dataset = DatasetFactory(project=cast.project)
    model = version(cast.project, public_package, "digits")
    per_label = {"0": {"precision": 0.9, "recall": 0.8, "f1": 0.85, "support": 9}}
    evaluate(model, dataset, kind="class", summary={"accuracy": 0.9}, per_label=per_label)
    client.force_login(cast.viewer)

    _, charts = charts_of(client, cast.project, models_query([model]))

    assert charts["heatmap"]["default"] == "f1"
    assert charts["heatmap"]["rows"][0]["values"]["f1"] == [0.85]


def test_the_versions_keep_the_order_and_colour_of_the_models_parameter(client, cast, lineage):
    client.force_login(cast.viewer)
    v1, v2, v3 = lineage.versions

    _, charts = charts_of(client, cast.project, models_query([v3, v1, v2], eval="mAP"))

    assert [(v["name"], v["color"]) for v in charts["versions"]] == [
        ("v3", 0),
        ("v1", 1),
        ("v2", 2),
    ]
    assert [row["values"] for row in charts["bars"]["rows"]] == [[0.57], [0.31], [0.42]]


def test_each_version_takes_its_newest_succeeded_evaluation(client, cast, lineage):
    v1 = lineage.versions[0]
    newer = evaluate(v1, lineage.dataset, summary={"mAP": 0.99})
    set_created(newer, timezone.now() + timedelta(hours=1))
    for status in ("failed", "running", "created"):
        late = evaluate(v1, lineage.dataset, summary={"mAP": 0.11}, status=status)
        set_created(late, timezone.now() + timedelta(hours=2))
    client.force_login(cast.viewer)

    _, charts = charts_of(client, cast.project, models_query([v1], eval="mAP"))

    assert charts["bars"]["rows"][0]["values"] == [0.99]
    assert charts["versions"][0]["evaluation"]["id"] == newer.id


def test_the_dataset_parameter_takes_evaluations_from_that_dataset(client, cast, lineage):
    other = DatasetFactory(project=cast.project, name="night", annotation_kind=AnnotationKind.BOX)
    v1, v2, _ = lineage.versions
    on_other = evaluate(v1, other, summary={"mAP": 0.12})
    set_created(on_other, timezone.now() + timedelta(hours=1))
    client.force_login(cast.viewer)

    query = models_query([v1, v2], eval="mAP", dataset=other.id)
    response, charts = charts_of(client, cast.project, query)

    assert charts["bars"]["rows"] == [{"v": 0, "values": [0.12]}]
    assert [row["name"] for row in response.context["not_evaluated"]] == ["v2"]
    assert "Not evaluated yet on night" in response.content.decode()


def test_several_datasets_default_to_the_one_most_versions_share(client, cast, lineage):
    other = DatasetFactory(project=cast.project, name="night", annotation_kind=AnnotationKind.BOX)
    v1 = lineage.versions[0]
    newest = evaluate(v1, other, summary={"mAP": 0.12})
    set_created(newest, timezone.now() + timedelta(hours=1))
    client.force_login(cast.viewer)

    response, charts = charts_of(client, cast.project, models_query(lineage.versions, eval="mAP"))

    assert charts["bars"]["rows"][0]["values"] == [0.31]  # on "parts", not its newest
    chooser = response.context["dataset_chooser"]
    assert [(o["name"], o["versions"]) for o in chooser["options"]] == [("parts", 3), ("night", 1)]
    assert chooser["current"] == lineage.dataset.id
    assert 'id="ce-dataset"' in response.content.decode()


def test_one_dataset_offers_no_chooser(client, cast, lineage):
    client.force_login(cast.viewer)

    response, _ = charts_of(client, cast.project, models_query(lineage.versions))

    assert response.context["dataset_chooser"] is None
    assert 'id="ce-dataset"' not in response.content.decode()


def test_a_version_without_a_succeeded_evaluation_is_listed_with_a_link(client, cast, lineage):
    fresh = version(cast.project, lineage.versions[0].package, "fresh")
    evaluate(fresh, lineage.dataset, summary={"mAP": 0.5}, status="failed")
    client.force_login(cast.viewer)

    response, charts = charts_of(client, cast.project, models_query([*lineage.versions, fresh]))

    html = response.content.decode()
    assert f'href="/projects/{cast.project.id}/models/{fresh.id}/">fresh</a>' in html
    assert "not evaluated yet" in html
    assert [row["v"] for row in charts["bars"]["rows"]] == [0, 1, 2]


def test_no_chosen_metric_offers_the_stored_keys_as_chips_keeping_the_other_params(
    client, cast, lineage
):
    client.force_login(cast.viewer)
    ids = ",".join(str(v.id) for v in lineage.versions)

    response = client.get(section_url(cast.project, f"?models={ids}&metrics=loss/val&smooth=0.6"))

    chips = response.context["chips"]["add"]
    assert [chip["key"] for chip in chips] == ["mAP", "AP50", "AP75", "recall"]
    expected = f"/projects/{cast.project.id}/compare/?models={ids}&metrics=loss/val&smooth=0.6"
    assert chips[0]["href"] == expected + "&eval=mAP"
    assert "No evaluation metric chosen" in response.content.decode()
    assert 'id="ce-bars"' not in response.content.decode()


def test_a_chosen_metric_chip_adds_to_the_others(client, cast, lineage):
    client.force_login(cast.viewer)

    response = client.get(section_url(cast.project, models_query(lineage.versions, eval="AP50")))

    chips = {chip["key"]: chip["href"] for chip in response.context["chips"]["add"]}
    assert chips["mAP"].endswith("eval=AP50,mAP")
    assert "AP50" not in chips


def test_different_subsets_are_pointed_out(client, cast, lineage):
    lineage.evaluations[2].subset = "validation"
    lineage.evaluations[2].save()
    client.force_login(cast.viewer)

    response, _ = charts_of(client, cast.project, models_query(lineage.versions))

    html = response.content.decode()
    assert "evaluated on different subsets" in html
    assert "test (v1, v2); validation (v3)" in html


def test_without_versions_the_section_asks_for_some(client, cast, lineage):
    client.force_login(cast.viewer)

    response = client.get(section_url(cast.project))

    assert response.status_code == 200
    assert "Choose model versions" in response.content.decode()


def test_opened_directly_it_is_a_page_and_to_htmx_a_partial(client, cast, lineage):
    client.force_login(cast.viewer)
    url = section_url(cast.project, models_query(lineage.versions, eval="mAP"))

    page = client.get(url).content.decode()
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert "<h1>Evaluations compared</h1>" in page
    assert "<html" in page
    assert "<html" not in partial
    assert 'id="ce-section"' in partial
    assert "compare_evaluations.js" in partial
