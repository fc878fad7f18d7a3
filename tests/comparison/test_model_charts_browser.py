"""In Chromium: the model page draws its metric charts, and they grow while the model trains."""

import pytest

from comparison.services import metrics_log
from registry.models import ModelStatus
from tests.browsers import sign_in
from tests.fixtures.versions import points

pytestmark = pytest.mark.browser

XSS = "</script><script>alert(1)</script>"


def trace_lengths(page, figure: str) -> list[int]:
    return page.evaluate(
        """(name) => {
            const chart = [...document.querySelectorAll(".metric-chart")]
                .find((element) => element.dataset.figure === name);
            return chart && chart.data ? chart.data.map((trace) => trace.x.length) : [];
        }""",
        figure,
    )


@pytest.mark.django_db(transaction=True)
def test_the_charts_grow_while_the_model_trains_and_names_stay_text(page, cast, model):
    model.status = ModelStatus.TRAINING
    model.save()
    metrics_log(model=model, points=points("loss/train", 3) + points("loss/val", 2))
    metrics_log(model=model, points=[{"name": XSS, "step": 0, "value": 1.0}])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, cast.viewer.username)

    page.goto(f"/projects/{cast.project.id}/models/{model.id}/")
    page.wait_for_function("document.querySelectorAll('.metric-chart .main-svg').length >= 2")
    assert trace_lengths(page, "loss") == [3, 2]

    metrics_log(model=model, points=points("loss/train", 10, start=3))
    page.wait_for_function(
        """() => [...document.querySelectorAll(".metric-chart")]
            .some((chart) => chart.data && chart.data[0].x.length === 10)""",
        timeout=10_000,
    )

    legend = page.locator(".metric-chart .legendtext").all_text_contents()
    assert "script><script>alert(1)</script>" in legend
    assert dialogs == []
