"""The results partial htmx swaps in: counts and lists at (IoU, confidence), filters, cells."""

import re

import pytest

from tests.evaluation.review.conftest import review_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def live(html: str) -> dict:
    found = dict(re.findall(r'<dd id="live-(\w+)">([\d.]+)</dd>', html))
    return {key: float(value) for key, value in found.items()}


def listed(html: str) -> tuple[int, list[tuple[str, str]]]:
    """The count above the grid, and (item name, error kind) of every card under it."""
    count = int(re.search(r'id="review-list-count">(\d+)</span>', html).group(1))
    cards = re.findall(r'data-error-kind="(\w*)">.*?aria-label="Open ([^"]+)"', html, re.S)
    return count, [(name, kind) for kind, name in cards]


def partial(client, built, query: str) -> str:
    response = client.get(review_url(built.evaluation, query=query), **HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    return response.content.decode()


@pytest.fixture
def viewer(client, cast):
    client.force_login(cast.viewer)
    return client


@pytest.mark.parametrize(
    ("query", "tp", "fp", "fn"),
    [
        ("?iou=0.5&conf=0", 1, 3, 2),
        ("?iou=0.5&conf=0.55", 1, 1, 2),
        ("?iou=0.5&conf=0.95", 0, 0, 3),
        ("?iou=0.8&conf=0", 1, 3, 2),
        ("?iou=0.85&conf=0", 0, 4, 3),
    ],
)
def test_the_partial_counts_the_rows_built_by_hand(viewer, built, query, tp, fp, fn):
    html = partial(viewer, built, query)

    counts = live(html)
    assert (counts["tp"], counts["fp"], counts["fn"]) == (tp, fp, fn)
    precision = tp / (tp + fp) if tp + fp else 0.0
    assert counts["precision"] == pytest.approx(precision, abs=5e-4)
    assert "<html" not in html


def test_the_partial_is_the_results_alone_and_the_form_stays_out_of_it(viewer, built):
    html = partial(viewer, built, "?conf=0.4")

    assert html.lstrip().startswith('<div id="review-results"')
    assert "review-form" not in html


def test_a_history_restore_gets_the_full_page(viewer, built):
    url = review_url(built.evaluation, query="?conf=0.4")

    html = viewer.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert 'id="review-form"' in html.content.decode()


def test_the_slider_values_in_the_link_reopen_the_same_view(viewer, built):
    html = viewer.get(review_url(built.evaluation, query="?iou=0.85&conf=0.55")).content.decode()

    assert 'name="iou" min="0.5" max="0.95" step="0.05" value="0.85"' in html
    assert 'name="conf" min="0" max="1" step="0.01" value="0.55"' in html
    assert live(html)["fp"] == 2


def test_the_false_positives_list_agrees_with_its_count_and_orders_by_confidence(viewer, built):
    count, cards = listed(partial(viewer, built, "?conf=0"))

    assert count == 3
    assert cards == [("b", "wrong_label"), ("c", "background"), ("a", "duplicate")]


def test_the_false_negatives_tab_lists_the_misses_with_their_kind(viewer, built):
    count, cards = listed(partial(viewer, built, "?tab=fn"))

    assert count == 2
    assert sorted(cards) == [("b", "wrong_label"), ("c", "missed")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&kind=background", [("c", "background")]),
        ("&cmin=0.4&cmax=0.55", [("c", "background")]),
        ("&order=confidence", [("a", "duplicate"), ("c", "background"), ("b", "wrong_label")]),
    ],
)
def test_filters_and_sorting_narrow_the_list_and_its_count_together(viewer, built, query, expected):
    count, cards = listed(partial(viewer, built, "?conf=0" + query))

    assert cards == expected
    assert count == len(expected)


def test_the_label_filter_narrows_the_counts_and_the_list(viewer, built):
    html = partial(viewer, built, f"?label={built.cat.id}")

    assert (live(html)["tp"], live(html)["fp"], live(html)["fn"]) == (1, 2, 1)
    assert listed(html) == (2, [("b", "wrong_label"), ("a", "duplicate")])


def test_values_out_of_range_fall_back_instead_of_failing(viewer, built):
    html = partial(viewer, built, "?iou=7&conf=abc&tab=zz&kind=nope&order=x&label=999&page=99")

    assert live(html)["fp"] == 3


@pytest.mark.parametrize(
    ("cell", "expected_count", "names"),
    [
        ("cat:cat", 1, ["a"]),
        ("dog:cat", 1, ["b"]),
        ("bg:cat", 1, ["a"]),
        ("bg:dog", 1, ["c"]),
        ("cat:bg", 1, ["c"]),
        ("dog:bg", 0, []),
    ],
)
def test_a_confusion_cell_lists_exactly_its_boxes(viewer, built, cell, expected_count, names):
    ids = {"cat": built.cat.id, "dog": built.dog.id, "bg": "bg"}
    truth, predicted = (str(ids[part]) for part in cell.split(":"))

    count, cards = listed(partial(viewer, built, f"?cell={truth}:{predicted}"))

    assert count == expected_count
    assert [name for name, _ in cards] == names


def test_the_list_pages_in_place_and_the_links_keep_the_thresholds(viewer, built):
    html = partial(viewer, built, "?conf=0&per_page=1")

    assert "Page 1 of 3" in html
    link = re.search(
        r'<a href="([^"]+)" hx-get="\1" hx-target="#review-results"[^>]*rel="next"', html
    )
    assert link is not None
    assert "conf=0" in link.group(1)
    assert "page=2" in link.group(1)
    assert 'rel="prev"' not in html
