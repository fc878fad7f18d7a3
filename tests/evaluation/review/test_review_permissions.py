"""Who may read the review page: every member; outsiders see nothing; anonymous sign in."""

import pytest

from tests.evaluation.review.conftest import make_evaluation, review_url
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_every_member_reads_the_page_and_the_partial(client, cast, built, role):
    client.force_login(cast.user(role))

    assert client.get(review_url(built.evaluation)).status_code == 200
    assert client.get(review_url(built.evaluation), HTTP_HX_REQUEST="true").status_code == 200


def test_an_outsider_gets_a_404(client, cast, built):
    client.force_login(cast.outsider)

    assert client.get(review_url(built.evaluation)).status_code == 404
    assert client.get(review_url(built.evaluation), HTTP_HX_REQUEST="true").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, built):
    url = review_url(built.evaluation, query="?conf=0.5")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_projects_evaluation_through_this_projects_url_is_a_404(client, cast):
    theirs = make_evaluation(cast.other_project, DatasetFactory(project=cast.other_project))
    client.force_login(cast.owner)

    assert client.get(review_url(theirs, project=cast.project)).status_code == 404


def test_an_unknown_evaluation_is_a_404(client, cast, built):
    client.force_login(cast.owner)

    url = f"/projects/{cast.project.id}/evaluations/{built.evaluation.id + 1000}/"
    assert client.get(url).status_code == 404
