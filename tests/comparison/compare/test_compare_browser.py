"""In Chromium: a lead picks versions and metrics, sees the traces, narrows the
configuration to the differences, and the link reopens the same view."""

import time

import pytest
from playwright.sync_api import expect

from tests.browsers import sign_in
from tests.comparison.compare.conftest import compare_url, log
from tests.factories import ModelVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<b>bold</b> & "quoted" <script>alert(1)</script>'


def traces_per_panel(page) -> dict[str, int]:
    """Drawn traces of each chart panel, by its metric."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".compare-panel")].map(
            (panel) => {
                const chart = panel.querySelector(".compare-chart");
                return [chart.layout.title.text, chart.data.length];
            }))"""
    )


def wait_for_panels(page, count: int) -> None:
    page.wait_for_function(
        """(count) => {
            const charts = [...document.querySelectorAll(".compare-chart")];
            return charts.length === count && charts.every((chart) => chart.data);
        }""",
        arg=count,
    )


def config_keys(page) -> list[str]:
    return page.locator(".compare-config tbody th code").all_text_contents()


def test_pick_three_versions_and_two_metrics_then_the_link_reopens_the_view(page, cast, trio):
    sign_in(page, cast.viewer.username)
    page.goto(compare_url(cast.project))

    picker = page.locator("#compare-picker-results")
    page.get_by_label("Add versions").fill("alp")
    expect(picker.locator("li")).to_have_count(1)
    picker.get_by_label("alpha", exact=True).check()
    page.get_by_label("Add versions").fill("")
    expect(picker.locator("li")).to_have_count(3)
    expect(picker.get_by_label("alpha", exact=True)).to_be_checked()  # kept across searches
    for name in ("beta", "gamma"):
        picker.get_by_label(name, exact=True).check()
    expect(page.locator("#compare-pending")).to_have_text("3 versions ticked: press Apply to add.")
    page.locator(".compare-versions").get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**models={trio.a.id},{trio.b.id},{trio.c.id}**")

    metrics = page.locator(".compare-metrics")
    metrics.get_by_label("accuracy", exact=True).uncheck()
    metrics.get_by_role("button", name="Apply").click()
    page.wait_for_url("**metrics=loss/train,loss/val**")

    wait_for_panels(page, 2)
    assert traces_per_panel(page) == {"loss/train": 3, "loss/val": 2}
    legend = page.locator(".compare-panel").first.locator(".legendtext").all_text_contents()
    assert legend == ["alpha", "beta", "gamma"]

    page.get_by_label("Differences only").uncheck()
    page.wait_for_url("**diff=0**")
    assert config_keys(page) == ["epochs", "lr", "optimizer.momentum", "optimizer.name"]

    page.get_by_label("Differences only").check()
    page.wait_for_function("!location.search.includes('diff=0')")
    expect(page.get_by_label("Differences only")).to_be_checked()
    assert config_keys(page) == ["lr", "optimizer.name"]

    link = page.url
    page.goto("about:blank")
    page.goto(link)
    wait_for_panels(page, 2)
    assert traces_per_panel(page) == {"loss/train": 3, "loss/val": 2}
    assert config_keys(page) == ["lr", "optimizer.name"]
    expect(metrics.get_by_label("loss/val", exact=True)).to_be_checked()
    expect(metrics.get_by_label("accuracy", exact=True)).not_to_be_checked()


def test_chart_options_redraw_in_place_and_stay_in_the_link(page, cast, trio):
    sign_in(page, cast.viewer.username)
    page.goto(compare_url(cast.project, f"models={trio.ids}&metrics=loss/train"))
    wait_for_panels(page, 1)

    page.locator("#compare-smooth").fill("0.5")
    page.get_by_label("Log scale").check()
    page.get_by_label("Layout").select_option("overlay")

    page.wait_for_function("location.search.includes('layout=overlay')")
    assert "smooth=0.5" in page.url
    assert "log=1" in page.url
    wait_for_panels(page, 1)
    # Smoothing draws a faint raw line behind each smoothed one.
    chart = page.locator(".compare-chart").first
    assert chart.evaluate("(el) => el.data.length") == 6
    assert chart.evaluate("(el) => el.layout.yaxis.type") == "log"

    page.reload()
    wait_for_panels(page, 1)
    assert page.locator(".compare-chart").first.evaluate("(el) => el.data.length") == 6


def test_zooming_asks_for_the_visible_steps_in_full_detail(page, cast, model):
    log(model, "loss", [float(step % 17) for step in range(3_000)])
    sign_in(page, cast.viewer.username)
    page.goto(compare_url(cast.project, f"models={model.id}&metrics=loss&points=100"))
    wait_for_panels(page, 1)
    chart = page.locator(".compare-chart").first
    assert chart.evaluate("(el) => el.data[0].x.length") <= 100
    expect(page.locator(".compare-panel-note")).to_contain_text(
        "1 of 1 series downsampled to at most 100 points (from up to 3,000)"
    )

    chart.evaluate("(el) => Plotly.relayout(el, {'xaxis.range': [1000, 1080]})")

    expect(page.locator(".compare-panel-note")).to_contain_text("Steps 1000–1080 (zoomed).")
    assert chart.evaluate("(el) => el.data[0].x") == list(range(1000, 1081))


def test_names_with_markup_are_plain_text_in_the_chart_labels(page, cast, public_package):
    version = ModelVersionFactory(project=cast.project, package=public_package, name=HOSTILE)
    log(version, HOSTILE + "/m", [1.0, 2.0])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, cast.viewer.username)

    page.goto(compare_url(cast.project, f"models={version.id}"))
    wait_for_panels(page, 1)

    assert page.locator(".compare-panel .legendtext").all_text_contents() == [HOSTILE]
    assert page.locator(".compare-panel .gtitle").text_content() == HOSTILE + "/m"
    expect(page.locator(".compare-version-name")).to_have_text(HOSTILE)
    assert dialogs == []


def test_a_slow_first_list_does_not_overwrite_the_search_typed_meanwhile(
    page, cast, trio, monkeypatch
):
    from comparison import views_compare_picker

    listed = views_compare_picker.picker_versions

    def slow_when_unfiltered(*, project, search):
        if not search:
            time.sleep(1.5)  # the whole list answers after the search typed meanwhile
        return listed(project=project, search=search)

    monkeypatch.setattr(views_compare_picker, "picker_versions", slow_when_unfiltered)
    sign_in(page, cast.viewer.username)
    page.goto(compare_url(cast.project))
    page.get_by_label("Add versions").fill("alp")

    picker = page.locator("#compare-picker-results")
    expect(picker.locator("li")).to_have_count(1)
    page.wait_for_timeout(2500)
    expect(picker.locator("li")).to_have_count(1)
