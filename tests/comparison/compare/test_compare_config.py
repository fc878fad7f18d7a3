"""The configuration table: differences only by default, everything on demand, transposable."""

import re

import pytest

from tests.comparison.compare.conftest import compare_url, models_param
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def config_of(client, cast, query: str):
    client.force_login(cast.viewer)
    response = client.get(compare_url(cast.project, query))
    assert response.status_code == 200
    return response.context["config"], response.content.decode()


def keys(table: dict) -> list[str]:
    return [row["key"] for row in table["rows"]]


def test_by_default_only_the_differing_parameters_are_listed(client, cast, trio):
    table, html = config_of(client, cast, f"models={trio.ids}")

    assert keys(table) == ["lr", "optimizer.name"]
    assert (table["differing"], table["total"]) == (2, 4)
    assert [row["values"] for row in table["rows"]] == [
        ["0.1", "0.01", "0.001"],
        ["sgd", "sgd", "adam"],
    ]
    assert "2 of 4 parameters differ." in html
    assert 'id="compare-diff" name="diff" value="1" form="compare-form" data-submit checked' in html


def test_diff_0_lists_every_parameter_with_nested_keys_flattened(client, cast, trio):
    table, _ = config_of(client, cast, f"models={trio.ids}&diff=0")

    assert keys(table) == ["epochs", "lr", "optimizer.momentum", "optimizer.name"]
    assert [row["differs"] for row in table["rows"]] == [False, True, False, True]


def test_a_parameter_one_version_lacks_is_a_difference_shown_as_missing(
    client, cast, trio, public_package
):
    extra = ModelVersionFactory(
        project=cast.project, package=public_package, configuration={"lr": 0.1, "epochs": 10}
    )
    table, _ = config_of(client, cast, f"models={models_param(trio.a, extra)}")

    assert keys(table) == ["optimizer.momentum", "optimizer.name"]
    assert table["rows"][0]["values"] == ["0.9", None]


def test_rows_are_parameters_and_columns_versions_in_the_links_order(client, cast, trio):
    _, html = config_of(client, cast, f"models={models_param(trio.c, trio.a)}")

    table = html[html.index('class="compare-config"') :]
    heads = re.findall(r'aria-hidden="true"></span>([^<]+)</th>', table.split("</thead>")[0])
    assert heads == ["gamma", "alpha"]
    row = r'<th scope="row"><code>lr</code></th>\s*<td><code>0.001</code></td><td><code>0.1</code>'
    assert re.search(row, table)


def test_transpose_puts_one_row_per_version(client, cast, trio):
    table, html = config_of(client, cast, f"models={trio.ids}&transpose=1")

    assert [column["values"] for column in table["by_version"]] == [
        ["0.1", "sgd"],
        ["0.01", "sgd"],
        ["0.001", "adam"],
    ]
    assert 'class="compare-config transposed"' in html
    assert '<th scope="col"><code>optimizer.name</code></th>' in html


def test_identical_configurations_say_so(client, cast, public_package):
    same = [
        ModelVersionFactory(project=cast.project, package=public_package, configuration={"a": 1})
        for _ in range(2)
    ]
    _, html = config_of(client, cast, f"models={models_param(*same)}")

    assert "Every parameter is the same in these versions." in html
