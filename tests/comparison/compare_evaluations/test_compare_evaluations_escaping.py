"""Names are text: in the page, in the links, and in the data the charts are drawn from."""

import json
import re

import pytest

from tests.comparison.compare_evaluations.conftest import (
    evaluate,
    models_query,
    section_url,
    version,
)
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script>"x'
METRIC = '<b onmouseover="alert(2)">mAP</b>'


@pytest.fixture
def hostile(cast, public_package):
    dataset = DatasetFactory(project=cast.project, name=f"data {XSS}")
    named = version(cast.project, public_package, XSS, configuration={"opt": XSS, "lr": 0.1})
    plain = version(cast.project, public_package, "plain", configuration={"opt": "sgd", "lr": 0.2})
    never = version(cast.project, public_package, f"never {XSS}")
    per_label = {XSS: {"AP": 0.5}}
    evaluate(named, dataset, summary={METRIC: 0.7, "mAP": 0.4}, per_label=per_label)
    evaluate(plain, dataset, summary={METRIC: 0.6, "mAP": 0.3}, per_label=per_label)
    return [named, plain, never]


def page_of(client, cast, versions, **params) -> str:
    client.force_login(cast.viewer)
    response = client.get(section_url(cast.project, models_query(versions, **params)))
    assert response.status_code == 200
    return response.content.decode()


def data_of(html: str) -> dict:
    found = re.search(r'id="compare-evaluations-data"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_names_never_reach_the_page_as_html(client, cast, hostile):
    html = page_of(client, cast, hostile)

    assert "<script>alert(1)" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;x" in html  # the not-evaluated list
    assert "&lt;b onmouseover=&quot;alert(2)&quot;&gt;mAP&lt;/b&gt;" in html  # a metric chip


def test_names_travel_as_json_data_unchanged(client, cast, hostile):
    html = page_of(client, cast, hostile, eval="mAP", pc="mAP")

    block = re.search(r'id="compare-evaluations-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert ">" not in block
    data = data_of(html)
    assert data["versions"][0]["name"] == XSS
    assert data["heatmap"]["labels"] == [XSS]
    assert data["versions"][0]["evaluation"]["dataset"] == f"data {XSS}"
    opt = next(axis for axis in data["parallel"]["axes"] if axis["name"] == "opt")
    assert XSS in opt["ticktext"]


def test_a_hostile_metric_key_is_escaped_in_the_page_and_kept_in_the_data(client, cast, hostile):
    html = page_of(client, cast, hostile[:2], eval="mAP")

    assert data_of(html)["bars"]["metrics"] == ["mAP"]
    chip_link = re.search(r'<a class="badge chip" href="([^"]*)">&lt;b', html).group(1)
    assert "%3Cb%20onmouseover" in chip_link or "%3Cb+onmouseover" in chip_link


def test_the_hostile_metric_chosen_through_the_url_is_text_too(client, cast, hostile):
    from urllib.parse import quote

    html = page_of(client, cast, hostile[:2], eval=quote(METRIC), pc=quote(METRIC))

    assert "<b onmouseover" not in html
    data = data_of(html)
    assert data["bars"]["metrics"] == [METRIC]
    assert data["bars"]["rows"][0]["values"] == [0.7]
    assert data["parallel"]["title"] == METRIC
