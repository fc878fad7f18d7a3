"""The review page's query count is fixed: it does not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.evaluation.review.conftest import prediction, review_url
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def many_errors(built):
    """30 more background false positives, each on its own item."""
    dataset = built.evaluation.dataset
    for index in range(30):
        item = ItemFactory(dataset=dataset, width=32, height=32)
        prediction(built.evaluation, item, built.dog, 0.1 + index / 100, (1, 1, 8, 8))
    return built


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
@pytest.mark.parametrize("tab", ["fp", "fn"])
def test_the_query_count_does_not_grow_with_the_page_size(client, cast, many_errors, headers, tab):
    client.force_login(cast.viewer)
    url = review_url(many_errors.evaluation, query=f"?tab={tab}&per_page=")

    small = queries_for(client, url + "2", **headers)
    large = queries_for(client, url + "33", **headers)

    assert small == large
    assert large <= 14


def test_a_confusion_cell_list_has_a_fixed_query_count_too(client, cast, many_errors):
    client.force_login(cast.viewer)
    url = review_url(many_errors.evaluation, query=f"?cell=bg:{many_errors.dog.id}&per_page=")

    assert queries_for(client, url + "2") == queries_for(client, url + "33")
