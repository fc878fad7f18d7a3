"""The diff's query count is fixed: it does not grow with the page size, page or API."""

import pytest

from tests.evaluation.diff.conftest import api_diff_url, diff_url
from tests.evaluation.review.conftest import ground_truth, prediction
from tests.factories import AnnotationFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_changes(scene):
    """30 more changed items: a new false positive on each, and a regressed cat box."""
    dataset = scene.current.dataset
    for index in range(30):
        item = ItemFactory(dataset=dataset, width=32, height=32)
        prediction(scene.current, item, scene.dog, 0.1 + index / 100, (1, 1, 8, 8))
        note = AnnotationFactory(item=item, label=scene.cat, kind="box", x=2, y=2, w=9, h=9)
        box = (2, 2, 9, 9)
        ground_truth(scene.baseline, item, scene.cat, box, "50", 0.9, annotation_id=note.id)
        ground_truth(scene.current, item, scene.cat, box, annotation_id=note.id)
    return scene


def count_queries(django_assert_max_num_queries, bound: int, request):
    with django_assert_max_num_queries(bound) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_the_page_query_count_does_not_grow_with_the_page_size(
    client, cast, many_changes, django_assert_max_num_queries, headers
):
    client.force_login(cast.viewer)
    url = diff_url(many_changes.current, f"?against={many_changes.baseline.id}&per_page=")

    small = count_queries(
        django_assert_max_num_queries, 11, lambda: client.get(url + "2", **headers)
    )
    large = count_queries(
        django_assert_max_num_queries, 11, lambda: client.get(url + "34", **headers)
    )

    assert small == large


def test_the_api_query_count_does_not_grow_with_the_page_size(
    api_as, cast, many_changes, django_assert_max_num_queries
):
    api = api_as(cast.viewer)
    url = api_diff_url(many_changes.current)
    against = many_changes.baseline.id

    small = count_queries(
        django_assert_max_num_queries, 5, lambda: api.get(url, {"against": against, "page_size": 2})
    )
    large = count_queries(
        django_assert_max_num_queries,
        5,
        lambda: api.get(url, {"against": against, "page_size": 34}),
    )

    assert small == large
    assert len(api.get(url, {"against": against, "page_size": 34}).json()["results"]) == 34
