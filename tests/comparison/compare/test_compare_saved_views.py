"""Saved views: any member saves the current link; its author or an owner deletes it."""

import pytest

from comparison.models import SavedComparisonView
from tests.comparison.compare.conftest import compare_url, models_param

pytestmark = pytest.mark.django_db


def views_url(project) -> str:
    return f"/projects/{project.id}/compare/views/"


def delete_url(view) -> str:
    return f"/projects/{view.project_id}/compare/views/{view.id}/delete/"


@pytest.fixture
def saved(cast, trio):
    return SavedComparisonView.objects.create(
        project=cast.project, name="lr sweep", query=f"models={trio.ids}", created_by=cast.developer
    )


@pytest.mark.parametrize("role", ["viewer", "annotator", "developer", "owner"])
def test_any_member_saves_the_current_view(client, cast, trio, role):
    client.force_login(cast.user(role))
    query = f"models={trio.a.id}&models={trio.b.id}&metrics=loss/val&x=time"

    response = client.post(views_url(cast.project), {"name": " best runs ", "query": query})

    view = SavedComparisonView.objects.get(project=cast.project)
    assert (view.name, view.created_by) == ("best runs", cast.user(role))
    assert view.query == f"models={trio.a.id},{trio.b.id}&metrics=loss/val&x=time"
    assert response["Location"] == compare_url(cast.project, view.query)


def test_a_name_already_taken_is_refused_with_a_message(client, cast, trio, saved):
    client.force_login(cast.viewer)

    response = client.post(
        views_url(cast.project), {"name": "lr sweep", "query": f"models={trio.a.id}"}, follow=True
    )

    assert SavedComparisonView.objects.count() == 1
    assert b"A view named &#x27;lr sweep&#x27; exists already." in response.content


def test_an_empty_name_is_refused(client, cast, trio):
    client.force_login(cast.viewer)

    client.post(views_url(cast.project), {"name": "  ", "query": f"models={trio.a.id}"})

    assert not SavedComparisonView.objects.exists()


def test_a_view_naming_another_projects_version_is_not_saved(client, cast, trio, other_model):
    client.force_login(cast.owner)
    query = f"models={models_param(trio.a, other_model)}"

    response = client.post(views_url(cast.project), {"name": "sneaky", "query": query})

    assert response.status_code == 404
    assert not SavedComparisonView.objects.exists()


def test_an_outsider_can_neither_list_nor_save(client, cast, trio, saved):
    client.force_login(cast.outsider)

    assert client.get(views_url(cast.project)).status_code == 404
    response = client.post(views_url(cast.project), {"name": "x", "query": f"models={trio.a.id}"})
    assert response.status_code == 404
    assert SavedComparisonView.objects.count() == 1


def test_the_list_page_and_the_compare_page_link_to_the_saved_view(client, cast, trio, saved):
    client.force_login(cast.viewer)
    link = f'href="/projects/{cast.project.id}/compare/?models={trio.ids}">lr sweep</a>'

    assert link in client.get(views_url(cast.project)).content.decode()
    assert link in client.get(compare_url(cast.project)).content.decode()


@pytest.mark.parametrize("role", ["developer", "owner"])
def test_the_author_or_an_owner_deletes_it(client, cast, saved, role):
    client.force_login(cast.user(role))

    response = client.post(delete_url(saved))

    assert response.status_code == 302
    assert not SavedComparisonView.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "annotator"])
def test_another_member_cannot_delete_it(client, cast, saved, role):
    client.force_login(cast.user(role))

    assert client.post(delete_url(saved)).status_code == 403
    assert SavedComparisonView.objects.exists()


def test_only_those_who_may_delete_see_the_button(client, cast, saved):
    button = b'aria-label="Delete the view lr sweep"'
    client.force_login(cast.viewer)
    assert button not in client.get(views_url(cast.project)).content
    client.force_login(cast.developer)
    assert button in client.get(views_url(cast.project)).content


def test_deleting_needs_a_post(client, cast, saved):
    client.force_login(cast.owner)

    assert client.get(delete_url(saved)).status_code == 405


def test_deleting_goes_back_to_a_local_page_only(client, cast, saved):
    client.force_login(cast.owner)

    response = client.post(delete_url(saved), {"next": "https://evil.example/"})

    assert response["Location"] == views_url(cast.project)


def test_another_projects_view_is_a_404_through_this_project(client, cast, saved):
    client.force_login(cast.outsider)
    url = f"/projects/{cast.other_project.id}/compare/views/{saved.id}/delete/"

    assert client.post(url).status_code == 404
    assert SavedComparisonView.objects.exists()
