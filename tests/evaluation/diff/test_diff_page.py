"""The regression diff page: chooser, thresholds, counts per label, changed items, empty states."""

import re

import pytest

from tests.evaluation.diff.conftest import diff_url, evaluation_of
from tests.evaluation.review.conftest import review_url
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def page(client, user, evaluation, query: str = "", **headers):
    client.force_login(user)
    return client.get(diff_url(evaluation, query), **headers)


def html_of(response) -> str:
    return response.content.decode()


def cell(html: str, row: str, change: str) -> str:
    """The text of one count cell; `row` is a label id or "totals"."""
    start = html.index(f'data-label-id="{row}"') if row != "totals" else html.index("diff-totals")
    found = re.search(rf'data-change="{change}">(.*?)</td>', html[start:], re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_chooser_lists_the_other_finished_evaluations_of_the_dataset_newest_first(
    client, cast, scene
):
    dataset = scene.current.dataset
    newer = evaluation_of(cast.project, dataset, "newest detector", "newest run")
    evaluation_of(cast.project, dataset, "failed detector", "failed run", status="failed")
    evaluation_of(
        cast.project, DatasetFactory(project=cast.project, annotation_kind="box"), "x", "y"
    )

    html = html_of(page(client, cast.viewer, scene.current))

    chooser = html[html.index('id="diff-against"') : html.index("</select>")]
    options = re.findall(r'<option value="(\d+)"', chooser)
    assert options == [str(newer.id), str(scene.baseline.id)]
    assert "old detector · old run" in chooser
    assert "failed run" not in chooser
    assert "Choose the evaluation to compare with" in html


def test_it_counts_the_changes_per_label_and_in_total(client, cast, scene):
    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    cat, dog = str(scene.cat.id), str(scene.dog.id)
    assert [cell(html, cat, change) for change in ("regressed", "fixed", "new_fp", "fp_gone")] == [
        "1",
        "0",
        "0",
        "1",
    ]
    assert [cell(html, dog, change) for change in ("regressed", "fixed", "new_fp", "fp_gone")] == [
        "0",
        "1",
        "2",
        "0",
    ]
    assert [cell(html, "totals", c) for c in ("regressed", "fixed", "new_fp", "fp_gone")] == [
        "1",
        "1",
        "2",
        "1",
    ]
    assert 'id="diff-list-count">4</span> changed items' in html


def test_each_count_links_to_the_list_filtered_by_its_change_and_label(client, cast, scene):
    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    links = re.findall(
        r'<a href="\?([^"]*)" data-filter-change="new_fp" data-filter-label="\d+"', html
    )
    assert links == [f"against={scene.baseline.id}&amp;change=new_fp&amp;label={scene.dog.id}"]


def test_the_list_shows_the_changed_items_worst_first_with_their_numbers(client, cast, scene):
    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    names = re.findall(r'<a class="name" href="[^"]+" title="[^"]+">(\w)</a>', html)
    assert names == ["c", "a", "b", "d"]
    first = html[html.index('class="review-card diff-card"') :]
    assert re.search(r'data-change="new_fp">New FP <strong>2</strong>', first)
    item = scene.items["c"]
    assert f"/projects/{cast.project.id}/datasets/{item.dataset_id}/items/{item.id}/" in first


def test_a_change_and_a_label_filter_the_list(client, cast, scene):
    query = f"?against={scene.baseline.id}&change=fixed&label={scene.dog.id}"

    html = html_of(page(client, cast.viewer, scene.current, query))

    names = re.findall(r'<a class="name" href="[^"]+" title="[^"]+">(\w)</a>', html)
    assert names == ["b"]
    assert "Fixed (FN → TP) · dog" in html
    assert 'id="diff-list-count">1</span> changed item ·' in html


def test_the_thresholds_change_the_counts(client, cast, scene):
    query = f"?against={scene.baseline.id}&iou=0.5&conf=0.5"

    html = html_of(page(client, cast.viewer, scene.current, query))

    assert cell(html, "totals", "fixed") == "2"
    assert cell(html, "totals", "fp_gone") == "0"
    assert 'name="conf" min="0" max="1" step="0.01" value="0.50"' in html


def test_out_of_range_thresholds_fall_back_to_the_evaluations_own(client, cast, scene):
    query = f"?against={scene.baseline.id}&iou=7&conf=-1"

    html = html_of(page(client, cast.viewer, scene.current, query))

    assert 'name="iou" min="0.5" max="0.95" step="0.05" value="0.50"' in html
    assert 'name="conf" min="0" max="1" step="0.01" value="0.00"' in html


def test_it_draws_the_changed_ground_truth_boxes(client, cast, scene):
    query = f"?against={scene.baseline.id}&change=regressed"

    html = html_of(page(client, cast.viewer, scene.current, query))

    assert re.search(
        r'<rect class="gt diff-regressed" x="4.0" y="4.0" width="20.0" height="20.0"[^>]*>'
        r"<title>Regressed: cat</title>",
        html,
    )
    assert "diff-fixed" not in html.split('id="diff-grid"')[1]


def test_htmx_gets_only_the_results(client, cast, scene):
    response = page(
        client, cast.viewer, scene.current, f"?against={scene.baseline.id}", HTTP_HX_REQUEST="true"
    )

    html = html_of(response)
    assert html.lstrip().startswith('<div id="diff-results"')
    assert 'id="diff-form"' not in html
    assert "HX-Request" in response["Vary"]


def test_a_bad_baseline_is_a_400_that_names_the_chooser(client, cast, scene):
    other = evaluation_of(cast.project, scene.current.dataset, "busy", "busy run", status="running")

    response = page(client, cast.viewer, scene.current, f"?against={other.id}")

    assert response.status_code == 400
    html = html_of(response)
    assert f"Compare with: Evaluation {other.id} is running, not finished." in html
    assert 'aria-describedby="diff-against-help diff-against-error"' in html


def test_an_evaluation_of_another_project_reads_as_unknown(client, cast, scene):
    theirs = evaluation_of(cast.other_project, DatasetFactory(project=cast.other_project), "t", "t")

    response = page(client, cast.viewer, scene.current, f"?against={theirs.id}")

    assert response.status_code == 400
    assert f"No evaluation {theirs.id} in this project." in html_of(response)


def test_with_no_other_evaluation_it_says_so(client, cast, scene):
    scene.baseline.delete()

    html = html_of(page(client, cast.viewer, scene.current))

    assert 'id="diff-no-baseline"' in html
    assert 'id="diff-form"' not in html


def test_an_unfinished_evaluation_is_not_compared(client, cast, scene):
    scene.current.status = "running"
    scene.current.save()

    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    assert 'id="diff-pending"' in html
    assert 'id="diff-results"' not in html


def test_an_evaluation_is_not_compared_with_itself(client, cast, scene):
    response = page(client, cast.viewer, scene.current, f"?against={scene.current.id}")

    assert response.status_code == 400
    assert "Choose an evaluation other than this one." in html_of(response)


def test_no_change_at_the_pair_has_its_own_message(client, cast, scene):
    twin = evaluation_of(cast.project, scene.current.dataset, "twin", "twin run")
    for row in [*scene.current.ground_truths.all(), *scene.current.predictions.all()]:
        row.pk, row.evaluation = None, twin
        row.save()

    html = html_of(page(client, cast.viewer, twin, f"?against={scene.current.id}"))

    assert 'id="diff-no-change"' in html
    assert 'id="diff-grid"' not in html


def test_user_text_is_escaped(client, cast, scene):
    scene.baseline.model.name = XSS
    scene.baseline.model.save()
    scene.cat.name = XSS
    scene.cat.save()
    scene.items["a"].name = XSS
    scene.items["a"].save()

    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_list_is_paginated(client, cast, scene):
    query = f"?against={scene.baseline.id}&per_page=3&page=2"

    html = html_of(page(client, cast.viewer, scene.current, query))

    names = re.findall(r'<a class="name" href="[^"]+" title="[^"]+">(\w)</a>', html)
    assert names == ["d"]
    assert "Page 2 of 2" in html


def test_the_review_page_links_to_the_diff_with_its_thresholds(client, cast, scene):
    client.force_login(cast.viewer)

    html = client.get(review_url(scene.current, query="?conf=0.25")).content.decode()

    link = (
        f"/projects/{cast.project.id}/evaluations/{scene.current.id}/diff/?iou=0.50&amp;conf=0.25"
    )
    assert f'<a id="review-compare" href="{link}">Compare with another evaluation</a>' in html


def test_the_diff_page_sits_under_evaluations_in_the_menu(client, cast, scene):
    html = html_of(page(client, cast.viewer, scene.current, f"?against={scene.baseline.id}"))

    assert re.search(r'<a href="[^"]*/evaluations/" aria-current="page">Evaluations</a>', html)
