"""Review marks on errors: annotators and above set them; everyone sees and filters them."""

import re

import pytest

from evaluation.models import EvalPrediction, ReviewMark
from tests.evaluation.review.conftest import make_evaluation, review_url
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def mark_url(evaluation, project=None) -> str:
    return review_url(evaluation, project=project) + "marks/"


def background_fp(built) -> EvalPrediction:
    return EvalPrediction.objects.get(evaluation=built.evaluation, label=built.dog)


def post_mark(client, built, target: str, verdict: str = "gt_wrong", note: str = "a cat, really"):
    data = {"target": target, "verdict": verdict, "note": note}
    return client.post(mark_url(built.evaluation), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("role", ["annotator", "developer", "owner"])
def test_annotators_and_above_mark_an_error(client, cast, built, role):
    client.force_login(cast.user(role))
    fp = background_fp(built)

    response = post_mark(client, built, f"p{fp.id}")

    assert response.status_code == 200
    assert "Ground truth is wrong" in response.content.decode()
    mark = ReviewMark.objects.get()
    assert (mark.prediction_id, mark.verdict, mark.note) == (fp.id, "gt_wrong", "a cat, really")
    assert mark.marked_by == cast.user(role)


def test_a_viewer_may_not_mark(client, cast, built):
    client.force_login(cast.viewer)

    assert post_mark(client, built, f"p{background_fp(built).id}").status_code == 403
    assert not ReviewMark.objects.exists()


def test_an_outsider_gets_a_404_and_an_anonymous_visitor_signs_in(client, cast, built):
    target = f"p{background_fp(built).id}"
    assert post_mark(client, built, target).status_code == 302
    client.force_login(cast.outsider)

    assert post_mark(client, built, target).status_code == 404
    assert not ReviewMark.objects.exists()


def test_marking_again_changes_the_mark_and_an_empty_verdict_removes_it(client, cast, built):
    client.force_login(cast.annotator)
    target = f"p{background_fp(built).id}"

    post_mark(client, built, target, "confirmed", "")
    post_mark(client, built, target, "ignore", "")
    assert list(ReviewMark.objects.values_list("verdict", flat=True)) == ["ignore"]

    post_mark(client, built, target, "", "")
    assert not ReviewMark.objects.exists()


def test_an_error_of_another_evaluation_or_an_unknown_verdict_is_refused(client, cast, built):
    other = make_evaluation(cast.project, DatasetFactory(project=cast.project), name="other")
    client.force_login(cast.annotator)
    target = f"p{background_fp(built).id}"

    response = client.post(mark_url(other), {"target": target, "verdict": "confirmed"})

    assert response.status_code == 400
    assert post_mark(client, built, target, "great").status_code == 400
    assert post_mark(client, built, "x1").status_code == 400
    assert not ReviewMark.objects.exists()


def test_a_false_negative_is_marked_through_its_ground_truth(client, cast, built):
    client.force_login(cast.annotator)
    html = client.get(review_url(built.evaluation, query="?tab=fn")).content.decode()
    target = re.search(r'name="target" value="(g\d+)"', html).group(1)

    assert post_mark(client, built, target, "confirmed").status_code == 200
    assert ReviewMark.objects.get().ground_truth_id == int(target[1:])


def test_marks_are_shown_and_the_list_filters_by_them_with_its_count(client, cast, built):
    client.force_login(cast.annotator)
    post_mark(client, built, f"p{background_fp(built).id}", "gt_wrong", "mislabelled")
    client.force_login(cast.viewer)

    marked = client.get(review_url(built.evaluation, query="?mark=gt_wrong")).content.decode()
    unmarked = client.get(review_url(built.evaluation, query="?mark=unmarked")).content.decode()

    assert 'id="review-list-count">1</span>' in marked
    assert "mislabelled" in marked
    assert 'id="review-list-count">2</span>' in unmarked
    assert "mislabelled" not in unmarked
    assert 'name="verdict"' not in marked  # a viewer sees marks, not the form
