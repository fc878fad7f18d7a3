"""In Chromium: the section opened directly draws its bars and heatmap; names stay text."""

import pytest
from playwright.sync_api import expect

from registry.models import ModelVersion
from tests.browsers import sign_in
from tests.comparison.compare_evaluations.conftest import models_query, section_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = '<script>alert(1)</script>"x'


def chart_traces(page, selector: str) -> list[dict]:
    return page.evaluate(
        """(selector) => {
            const chart = document.querySelector(selector);
            if (!chart || !chart.data) return [];
            return chart.data.map((t) => ({name: t.name, color: t.marker && t.marker.color}));
        }""",
        selector,
    )


def test_three_versions_draw_three_bars_per_metric_and_the_heatmap(page, cast, lineage):
    configuration = {**lineage.versions[1].configuration, "note": XSS}
    ModelVersion.objects.filter(pk=lineage.versions[1].pk).update(
        name=XSS, configuration=configuration
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, cast.viewer.username)

    page.goto(section_url(cast.project, models_query(lineage.versions, eval="mAP,AP50")))

    expect(page.locator("#ce-bars .trace.bars .point")).to_have_count(3 * 2)
    expect(page.locator("#ce-heatmap .hm")).to_have_count(1)
    expect(page.locator("#ce-by-version .scatterlayer .trace")).to_have_count(2)
    expect(page.locator("#ce-parallel .parcoords")).to_have_count(1)
    traces = chart_traces(page, "#ce-bars")
    # Colours follow the position in `models`, as in palette.js (Plotly's first three).
    assert [trace["color"] for trace in traces] == ["#1f77b4", "#ff7f0e", "#2ca02c"]
    legend = page.locator("#ce-bars .legendtext").all_text_contents()
    assert legend == ["v1", XSS, "v3"]
    assert XSS in page.locator("#ce-heatmap .ytick").all_text_contents()
    assert XSS in page.locator("#ce-by-version .xtick").all_text_contents()
    parallel = page.locator("#ce-parallel text").all_text_contents()
    assert parallel.count(XSS) == 2  # a tick of the version axis and of the "note" axis
    assert not any("&lt;" in text for text in parallel)
    assert dialogs == []


def test_the_heatmap_toggle_switches_the_per_label_score(page, cast, lineage):
    sign_in(page, cast.viewer.username)
    page.goto(section_url(cast.project, models_query(lineage.versions, eval="mAP")))
    page.wait_for_selector("#ce-heatmap .hm")

    page.get_by_role("button", name="AP50", exact=True).click()

    expect(page.get_by_role("button", name="AP50", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    z = page.evaluate("() => document.querySelector('#ce-heatmap').data[0].z")
    assert z == [[0.6, None], [0.7, None], [0.8, None]]


def test_the_comparison_page_loads_the_section_and_a_chip_adds_a_metric(page, cast, lineage):
    sign_in(page, cast.viewer.username)
    page.goto(f"/projects/{cast.project.id}/compare/" + models_query(lineage.versions))

    page.locator("#ce-metric-chips").get_by_role("link", name="AP50", exact=True).click()

    # The page loads the section, then the section loads Plotly: allow for both.
    expect(page.locator("#ce-bars .trace.bars .point")).to_have_count(3, timeout=15_000)
    assert "eval=AP50" in page.url
    assert f"models={','.join(str(v.id) for v in lineage.versions)}" in page.url
