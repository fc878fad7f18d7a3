"""Who may open the comparison page, and which versions a link may name."""

import pytest

from tests.comparison.compare.conftest import compare_url, models_param

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_every_member_reads_the_page(client, cast, trio, role):
    client.force_login(cast.user(role))

    assert client.get(compare_url(cast.project, f"models={trio.ids}")).status_code == 200


def test_an_outsider_gets_a_404(client, cast, trio):
    client.force_login(cast.outsider)

    assert client.get(compare_url(cast.project, f"models={trio.ids}")).status_code == 404
    assert client.get(compare_url(cast.project)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, trio):
    response = client.get(compare_url(cast.project, f"models={trio.ids}"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_projects_version_in_the_link_is_a_404_not_a_chart(client, cast, trio, other_model):
    client.force_login(cast.owner)
    query = f"models={models_param(trio.a, other_model)}&metrics=loss/train"

    response = client.get(compare_url(cast.project, query))

    assert response.status_code == 404
    assert b"compare-spec" not in response.content
    assert other_model.name.encode() not in response.content


def test_the_outsider_cannot_read_their_own_version_through_our_project(client, cast, other_model):
    client.force_login(cast.outsider)

    response = client.get(compare_url(cast.project, f"models={other_model.id}"))

    assert response.status_code == 404


@pytest.mark.parametrize("models", ["abc", "1;2", "-3", "99999999"])
def test_an_id_that_names_no_version_of_the_project_is_a_404(client, cast, trio, models):
    client.force_login(cast.owner)

    assert client.get(compare_url(cast.project, f"models={models}")).status_code == 404


def test_a_public_pretrained_version_is_not_one_of_the_projects_versions(
    client, cast, trio, public_model
):
    client.force_login(cast.viewer)

    response = client.get(compare_url(cast.project, f"models={models_param(public_model, trio.a)}"))

    assert response.status_code == 404
