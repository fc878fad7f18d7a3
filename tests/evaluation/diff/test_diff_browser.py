"""In Chromium: pick a baseline, read the counts, click one to list only those items."""

import pytest
from playwright.sync_api import expect

from tests.browsers import sign_in
from tests.evaluation.diff.conftest import diff_url
from tests.evaluation.review.conftest import review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totals(page) -> list[str]:
    return page.locator("#diff-totals td").all_inner_texts()


def test_picking_a_baseline_shows_the_counts_and_a_count_filters_the_list(page, cast, scene):
    sign_in(page, cast.viewer.username)
    page.goto(review_url(scene.current))
    page.get_by_role("link", name="Compare with another evaluation").click()
    page.wait_for_url("**/diff/?iou=0.50&conf=0.00")  # loaded: htmx is listening
    expect(page.locator("#diff-choose")).to_be_visible()
    form = page.locator("#diff-form")

    page.get_by_label("Compare with").select_option(str(scene.baseline.id))

    expect(page.locator("#diff-totals")).to_be_visible()
    assert totals(page) == ["1", "1", "2", "1"]
    expect(page.locator("#diff-list-count")).to_have_text("4")
    assert f"against={scene.baseline.id}" in page.url

    dog = page.locator(f'tr[data-label-id="{scene.dog.id}"]')
    dog.locator('td[data-change="new_fp"] a').click()

    expect(page.locator("#diff-list-count")).to_have_text("1")
    expect(page.locator("#diff-grid .diff-card .name")).to_have_text(["c"])
    expect(page.get_by_label("Change", exact=True)).to_have_value("new_fp")
    expect(page.get_by_label("Label", exact=True)).to_have_value(str(scene.dog.id))
    assert "change=new_fp" in page.url
    assert f"label={scene.dog.id}" in page.url
    # Swapped in place: the form is the same element, so it kept its state.
    assert form.evaluate("element => element.isConnected")

    page.get_by_role("link", name="Every change").click()
    expect(page.locator("#diff-list-count")).to_have_text("4")


def test_the_confidence_slider_moves_the_counts_and_keeps_the_filter(page, cast, scene):
    sign_in(page, cast.viewer.username)
    page.goto(diff_url(scene.current, f"?against={scene.baseline.id}&change=fixed"))
    expect(page.locator("#diff-list-count")).to_have_text("1")

    page.locator("#diff-conf").fill("0.5")

    expect(page.locator("#diff-list-count")).to_have_text("2")
    expect(page.locator("#diff-conf-value")).to_have_text("0.50")
    assert totals(page) == ["1", "2", "2", "0"]
    assert "change=fixed" in page.url
    assert "label=" not in page.url  # empty filters stay out of the link


def test_j_and_k_walk_the_items_and_o_opens_one(page, cast, scene):
    sign_in(page, cast.viewer.username)
    page.goto(diff_url(scene.current, f"?against={scene.baseline.id}"))
    expect(page.locator("#diff-grid .diff-card")).to_have_count(4)

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator(".diff-card.current .name")).to_have_text("c")
    page.keyboard.press("j")

    page.keyboard.press("o")
    page.wait_for_url(f"**/items/{scene.items['a'].id}/")
