"""Names with markup and quotes are text everywhere: in the page and in the chart data."""

import json
import re

import pytest

from tests.comparison.compare.conftest import compare_url, log
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db

VERSION = "<script>alert('v')</script>\"quoted\""
METRIC = '<script>alert("m")</script>/it\'s'


@pytest.fixture
def hostile(cast, public_package):
    version = ModelVersionFactory(
        project=cast.project,
        package=public_package,
        name=VERSION,
        configuration={"<b>key</b>": "<img src=x onerror=alert(1)>"},
    )
    other = ModelVersionFactory(project=cast.project, package=public_package, name="plain")
    log(version, METRIC, [1.0, 2.0])
    log(other, METRIC, [3.0, 1.0])
    return version, other


def test_markup_in_names_renders_as_text_in_the_page(client, cast, hostile):
    version, other = hostile
    client.force_login(cast.viewer)
    query = f"models={version.id},{other.id}&at=1&diff=0"

    html = client.get(compare_url(cast.project, query)).content.decode()

    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "<b>key</b>" not in html
    assert "&lt;script&gt;alert(&#x27;v&#x27;)&lt;/script&gt;&quot;quoted&quot;" in html
    assert "&lt;script&gt;alert(&quot;m&quot;)&lt;/script&gt;/it&#x27;s" in html


def test_the_chart_data_holds_the_names_as_json_text_not_markup(client, cast, hostile):
    version, other = hostile
    client.force_login(cast.viewer)

    html = client.get(compare_url(cast.project, f"models={version.id},{other.id}")).content.decode()

    raw = re.search(r'<script id="compare-spec" type="application/json">(.*?)</script>', html, re.S)
    spec = json.loads(raw.group(1))
    assert spec["models"][0]["name"] == VERSION
    assert spec["metrics"] == [METRIC]
    # json_script escapes <, > and & so the data cannot close its own script element.
    assert "<" not in raw.group(1)


# The chart labels themselves are checked in Chromium: test_compare_browser.py.
