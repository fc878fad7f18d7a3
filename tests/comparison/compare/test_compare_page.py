"""The comparison page: what it shows for a link, and how it canonicalises a form's GET."""

import pytest

from tests.comparison.compare.conftest import compare_url, models_param
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, cast):
    client.force_login(cast.viewer)
    return client


def test_it_shows_the_chosen_versions_in_the_links_order(viewer, cast, trio):
    query = f"models={models_param(trio.c, trio.a)}"

    response = viewer.get(compare_url(cast.project, query))

    assert response.status_code == 200
    versions = [row["version"] for row in response.context["versions"]]
    assert versions == [trio.c, trio.a]
    assert [row["index"] for row in response.context["versions"]] == [0, 1]
    assert response.context["chart_spec"]["models"] == [
        {"id": trio.c.id, "name": "gamma", "index": 0},
        {"id": trio.a.id, "name": "alpha", "index": 1},
    ]


def test_without_versions_it_invites_to_pick_some(viewer, cast):
    response = viewer.get(compare_url(cast.project))

    assert response.status_code == 200
    assert b'id="compare-empty"' in response.content
    assert b"compare-spec" not in response.content


def test_the_nav_links_to_the_page_and_marks_it_current(viewer, cast):
    html = viewer.get(compare_url(cast.project)).content.decode()

    assert f'href="/projects/{cast.project.id}/compare/" aria-current="page">Compare<' in html


def test_the_metric_picker_offers_the_union_of_names_grouped_by_prefix(viewer, cast, trio):
    response = viewer.get(compare_url(cast.project, f"models={trio.ids}"))

    groups = {
        group: [(choice.name, choice.versions) for choice in choices]
        for group, choices in response.context["metric_groups"]
    }
    assert groups == {
        "accuracy": [("accuracy", 2)],
        "loss": [("loss/train", 3), ("loss/val", 2)],
    }


def test_without_metrics_in_the_link_it_opens_on_the_most_shared_names(viewer, cast, trio):
    response = viewer.get(compare_url(cast.project, f"models={trio.ids}"))

    assert response.context["chosen_metrics"] == ["accuracy", "loss/train", "loss/val"]


def test_an_empty_metrics_parameter_means_no_metric(viewer, cast, trio):
    response = viewer.get(compare_url(cast.project, f"models={trio.ids}&metrics="))

    assert response.context["chosen_metrics"] == []
    assert b"Tick one or more metrics" in response.content
    assert b"compare-spec" not in response.content


def test_the_chart_spec_carries_the_chosen_metrics_and_options(viewer, cast, trio):
    query = f"models={trio.ids}&metrics=loss/val,loss/train&x=relative&smooth=0.6&log=1"
    query += "&layout=overlay&points=500"

    spec = viewer.get(compare_url(cast.project, query)).context["chart_spec"]

    assert spec["metrics"] == ["loss/val", "loss/train"]
    assert spec["options"] == {
        "x": "relative",
        "smooth": 0.6,
        "log": True,
        "layout": "overlay",
        "points": 500,
    }


def test_a_metric_no_version_logs_stays_listed_so_it_can_be_unticked(viewer, cast, trio):
    response = viewer.get(compare_url(cast.project, f"models={trio.ids}&metrics=nope"))

    assert response.context["unlogged_metrics"] == ["nope"]
    assert b"logged by none of these versions" in response.content


def test_a_forms_repeated_keys_redirect_to_the_canonical_link(viewer, cast, trio):
    query = (
        f"models={trio.a.id}&models={trio.b.id}&metrics=&metrics=loss/val&diff=0&diff=1"
        "&x=step&smooth=0&layout=panels&points=1000&at="
    )

    response = viewer.get(compare_url(cast.project, query))

    assert response.status_code == 302
    assert response["Location"] == compare_url(
        cast.project, f"models={trio.a.id},{trio.b.id}&metrics=loss/val"
    )


def test_a_canonical_link_is_served_without_a_redirect(viewer, cast, trio):
    query = f"models={trio.ids}&metrics=loss/val&diff=0&x=time"

    assert viewer.get(compare_url(cast.project, query)).status_code == 200


def test_more_than_200_versions_are_cut_to_the_first_200_with_a_notice(
    viewer, cast, public_package
):
    versions = ModelVersionFactory.create_batch(201, project=cast.project, package=public_package)

    response = viewer.get(compare_url(cast.project, f"models={models_param(*versions)}"))

    assert len(response.context["versions"]) == 200
    assert b"Only the first 200 versions" in response.content


def test_bad_options_fall_back_to_their_defaults(viewer, cast, trio):
    query = f"models={trio.ids}&x=sideways&smooth=nan&points=abc&layout=3d&at=-5&log=yes"

    selection = viewer.get(compare_url(cast.project, query)).context["selection"]

    assert (selection.x, selection.smooth, selection.points) == ("step", 0.0, 1000)
    assert (selection.layout, selection.at, selection.log) == ("panels", None, False)


def test_the_evaluation_metric_picker_lists_keys_of_finished_evaluations(viewer, cast, trio):
    from evaluation.models import Evaluation
    from tests.factories import DatasetFactory

    dataset = DatasetFactory(project=cast.project)
    Evaluation.objects.create(
        project=cast.project,
        model=trio.a,
        dataset=dataset,
        name="run",
        kind="class",
        mode="offline",
        status="succeeded",
        summary={"accuracy": 0.9, "macro_f1": 0.8, "note": "text"},
    )

    response = viewer.get(compare_url(cast.project, f"models={trio.ids}&eval=accuracy"))

    assert response.context["eval_choices"] == [
        "accuracy",
        "macro_f1",
        "precision",
        "recall",
        "f1",
    ]
    assert b'name="eval" value="accuracy" id="compare-eval-1" checked' in response.content


def test_the_evaluation_section_is_loaded_with_the_same_query_when_installed(
    viewer, cast, trio, monkeypatch
):
    from comparison import views_compare

    monkeypatch.setattr(views_compare, "evaluations_section_url", lambda project: "/eval-section/")
    query = f"models={trio.ids}&eval=mAP"

    html = viewer.get(compare_url(cast.project, query)).content.decode()

    assert 'id="compare-evaluations"' in html
    assert (
        f'hx-get="/eval-section/?models={trio.a.id}%2C{trio.b.id}%2C{trio.c.id}&amp;eval=mAP"'
        in html
    )


def test_the_page_renders_without_the_evaluation_section_installed(viewer, cast, trio, monkeypatch):
    from comparison import views_compare

    monkeypatch.setattr(views_compare, "evaluations_section_url", lambda project: None)

    response = viewer.get(compare_url(cast.project, f"models={trio.ids}"))

    assert response.status_code == 200
    assert b'id="compare-evaluations"' not in response.content
