"""The model list's "Compare selected": ticked rows open the comparison page with models=."""

import pytest

from tests.comparison.compare.conftest import compare_url

pytestmark = pytest.mark.django_db


def test_each_row_has_a_box_of_the_compare_form(client, cast, trio):
    client.force_login(cast.viewer)

    html = client.get(f"/projects/{cast.project.id}/models/").content.decode()

    action = f'action="/projects/{cast.project.id}/compare/"'
    assert f'<form id="compare-selected" method="get" {action}' in html
    assert (
        f'<input type="checkbox" form="compare-selected" name="models" value="{trio.a.id}"'
        ' aria-label="Compare alpha">'
    ) in html
    assert "Compare selected</button>" in html


def test_the_ticked_rows_arrive_on_the_comparison_page_in_the_lists_order(client, cast, trio):
    client.force_login(cast.viewer)
    # What the browser sends for the form: one models= per ticked box.
    query = f"models={trio.c.id}&models={trio.a.id}"

    response = client.get(compare_url(cast.project, query), follow=True)

    assert response.redirect_chain == [
        (compare_url(cast.project, f"models={trio.c.id},{trio.a.id}"), 302)
    ]
    assert [row["version"] for row in response.context["versions"]] == [trio.c, trio.a]
