"""The version search of the page, and "+ lineage", which adds a whole family at once."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.comparison.compare.conftest import models_param
from tests.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def picker_url(project, query: str = "") -> str:
    return f"/projects/{project.id}/compare/versions/?{query}"


def lineage_url(project, model, query: str = "") -> str:
    return f"/projects/{project.id}/compare/lineage/{model.id}/?{query}"


def models_after(response) -> list[int]:
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return [int(one) for one in query["models"][0].split(",")]


def test_the_search_lists_the_projects_versions_matching_the_name(client, cast, trio, other_model):
    client.force_login(cast.viewer)

    response = client.get(picker_url(cast.project, "q=ALP"))

    assert [row.name for row in response.context["rows"]] == ["alpha"]
    assert b'name="models" value="%d"' % trio.a.id in response.content
    assert b"theirs" not in response.content


def test_chosen_versions_are_shown_ticked_and_not_sent_twice(client, cast, trio):
    client.force_login(cast.viewer)

    html = client.get(picker_url(cast.project, f"models={trio.b.id}")).content.decode()

    assert f'value="{trio.b.id}" id="compare-pick-{trio.b.id}" checked disabled' in html
    assert f'value="{trio.a.id}" id="compare-pick-{trio.a.id}">' in html


def test_a_long_list_says_there_is_more(client, cast, public_package):
    ModelVersionFactory.create_batch(31, project=cast.project, package=public_package)
    client.force_login(cast.viewer)

    response = client.get(picker_url(cast.project))

    assert len(response.context["rows"]) == 30
    assert b"More versions match" in response.content


def test_an_outsider_cannot_search_the_project(client, cast, trio):
    client.force_login(cast.outsider)

    assert client.get(picker_url(cast.project)).status_code == 404


def test_lineage_adds_ancestors_and_descendants_after_the_chosen_versions(
    client, cast, trio, public_package
):
    sibling = ModelVersionFactory(project=cast.project, package=public_package, parent=trio.a)
    unrelated = ModelVersionFactory(project=cast.project, package=public_package)
    client.force_login(cast.viewer)

    response = client.get(lineage_url(cast.project, trio.b, f"models={unrelated.id}&metrics=x"))

    assert models_after(response) == [unrelated.id, trio.a.id, trio.b.id, trio.c.id]
    assert "metrics=x" in response["Location"]
    assert sibling.id not in models_after(response)


def test_lineage_stays_inside_the_project(client, cast, trio, public_model, public_package):
    trio.a.parent = public_model
    trio.a.save()
    ModelVersionFactory(project=cast.other_project, package=public_package, parent=trio.a)
    client.force_login(cast.viewer)

    response = client.get(lineage_url(cast.project, trio.c))

    assert models_after(response) == [trio.a.id, trio.b.id, trio.c.id]


def test_lineage_keeps_the_chosen_order_and_adds_nothing_twice(client, cast, trio):
    client.force_login(cast.viewer)

    response = client.get(lineage_url(cast.project, trio.a, f"models={models_param(trio.c)}"))

    assert models_after(response) == [trio.c.id, trio.a.id, trio.b.id]


def test_lineage_of_another_projects_version_is_a_404(client, cast, other_model):
    client.force_login(cast.owner)

    assert client.get(lineage_url(cast.project, other_model)).status_code == 404
