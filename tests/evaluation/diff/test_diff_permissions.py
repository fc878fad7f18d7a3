"""Who may read the diff, page and API: every member; outsiders get a 404; strangers sign in."""

import pytest

from tests.errors import error_of
from tests.evaluation.diff.conftest import api_diff_url, diff_url, evaluation_of
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_every_member_reads_the_page_the_partial_and_the_api(client, api_as, cast, scene, role):
    client.force_login(cast.user(role))
    url = diff_url(scene.current, f"?against={scene.baseline.id}")

    assert client.get(url).status_code == 200
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    api = api_as(cast.user(role)).get(api_diff_url(scene.current), {"against": scene.baseline.id})
    assert api.status_code == 200


def test_an_outsider_gets_a_404_from_the_page_and_the_api(client, api_as, cast, scene):
    client.force_login(cast.outsider)

    url = diff_url(scene.current, f"?against={scene.baseline.id}")
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    api = api_as(cast.outsider).get(api_diff_url(scene.current), {"against": scene.baseline.id})
    assert api.status_code == 404
    assert error_of(api)["code"] == "not_found"


def test_an_outsider_cannot_use_their_evaluation_as_a_baseline_to_probe(api_as, cast, scene):
    """The other way round: their own evaluation against ours reads as unknown."""
    dataset = DatasetFactory(project=cast.other_project, annotation_kind="box")
    theirs = evaluation_of(cast.other_project, dataset, "theirs", "their run")

    response = api_as(cast.outsider).get(api_diff_url(theirs), {"against": scene.current.id})

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "against": f"No evaluation {scene.current.id} in this project."
    }


def test_another_projects_evaluation_through_this_projects_url_is_a_404(client, cast):
    dataset = DatasetFactory(project=cast.other_project)
    theirs = evaluation_of(cast.other_project, dataset, "theirs", "their run")
    client.force_login(cast.owner)

    assert client.get(diff_url(theirs, project=cast.project)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_and_the_api_refuses(client, api_client, scene):
    response = client.get(diff_url(scene.current, f"?against={scene.baseline.id}"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    api = api_client.get(api_diff_url(scene.current), {"against": scene.baseline.id})
    assert api.status_code in (401, 403)
