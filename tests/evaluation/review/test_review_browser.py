"""In Chromium: the confidence slider updates the counts in place, a matrix cell lists its items."""

import pytest
from playwright.sync_api import expect

from tests.browsers import sign_in
from tests.evaluation.review.conftest import review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_cell(page, row: int, column: int, size: int) -> None:
    """Click the middle of a heatmap cell; rows run top to bottom (ground truth)."""
    box = page.locator("#review-confusion .nsewdrag").first.bounding_box()
    x = box["x"] + box["width"] * (column + 0.5) / size
    y = box["y"] + box["height"] * (row + 0.5) / size
    page.mouse.click(x, y)


def test_the_confidence_slider_changes_the_fp_count_in_place(page, cast, built):
    sign_in(page, cast.viewer.username)
    page.goto(review_url(built.evaluation))
    expect(page.locator("#live-fp")).to_have_text("3")
    form = page.locator("#review-form")

    page.locator("#review-conf").fill("0.55")

    expect(page.locator("#live-fp")).to_have_text("1")
    expect(page.locator("#review-list-count")).to_have_text("1")
    expect(page.locator("#review-conf-value")).to_have_text("0.55")
    assert "conf=0.55" in page.url
    assert "label=" not in page.url  # empty filters stay out of the link
    # Swapped in place: the form is the same element, so the slider kept its state.
    assert form.evaluate("element => element.isConnected")
    page.reload()
    expect(page.locator("#live-fp")).to_have_text("1")


def test_clicking_a_confusion_cell_lists_only_those_items(page, cast, built):
    sign_in(page, cast.viewer.username)
    page.goto(review_url(built.evaluation))
    page.wait_for_selector("#review-confusion .nsewdrag")

    click_cell(page, row=1, column=0, size=3)  # true dog, predicted cat

    expect(page.locator("#review-list-count")).to_have_text("1")
    expect(page.locator("#review-grid .review-card")).to_have_count(1)
    expect(page.locator("#review-grid .review-card .name")).to_have_text("b")
    assert f"cell={built.dog.id}%3A{built.cat.id}" in page.url

    page.get_by_role("button", name="Back to the error list").click()
    expect(page.locator("#review-grid .review-card")).to_have_count(3)


def test_j_and_k_walk_the_cards_and_o_opens_the_item(page, cast, built):
    sign_in(page, cast.viewer.username)
    page.goto(review_url(built.evaluation))
    expect(page.locator("#review-grid .review-card")).to_have_count(3)

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator(".review-card.current .name")).to_have_text("b")

    page.keyboard.press("o")
    page.wait_for_url(f"**/items/{built.items[1].id}/")


def test_an_annotator_marks_an_error_in_place(page, cast, built):
    sign_in(page, cast.annotator.username)
    page.goto(review_url(built.evaluation))
    card = page.locator("#review-grid .review-card").first

    card.locator("summary").click()
    card.get_by_label("Verdict").select_option("confirmed")
    card.get_by_label("Note").fill("really a false positive")
    card.get_by_role("button", name="Save").click()

    expect(card.locator(".verdict-confirmed")).to_have_text("Confirmed error")
    expect(card.locator(".review-note")).to_have_text("really a false positive")
    assert "/marks/" not in page.url
