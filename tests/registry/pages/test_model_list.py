import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import ModelStatus, ModelTag
from tests.factories import DatasetFactory, ModelVersionFactory, PackageFactory


@pytest.fixture
def url(cast) -> str:
    return reverse("registry:model_list", args=[cast.project.id])


@pytest.fixture
def viewer_client(client, cast):
    client.force_login(cast.viewer)
    return client


def names_in(response) -> list[str]:
    """Model names in the order the table shows them."""
    html = response.content.decode()
    return re.findall(r'<td><a href="/projects/\d+/models/\d+/">([^<]+)</a></td>', html)


def make_models(project, count: int, package=None) -> None:
    package = package or PackageFactory()
    dataset = DatasetFactory(project=project)
    parent = ModelVersionFactory(project=project, package=package, dataset=dataset)
    ModelTag.objects.create(model=parent, name="root")
    for n in range(count - 1):
        model = ModelVersionFactory(
            project=project, package=package, dataset=dataset, parent=parent
        )
        ModelTag.objects.create(model=model, name=f"tag-{n}")
        ModelTag.objects.create(model=model, name="shared")


def test_it_lists_the_projects_models_with_package_status_tags_dataset_and_parent(
    viewer_client, cast, url
):
    package = PackageFactory(name="digits-mlp")
    dataset = DatasetFactory(project=cast.project, name="digits")
    parent = ModelVersionFactory(project=cast.project, package=package, name="base")
    model = ModelVersionFactory(
        project=cast.project,
        package=package,
        name="exp-1",
        status=ModelStatus.TRAINED,
        dataset=dataset,
        parent=parent,
    )
    ModelTag.objects.create(model=model, name="baseline")
    response = viewer_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("registry:model_detail", args=[cast.project.id, model.id]) in html
    assert "digits-mlp" in html
    assert '<span class="badge status-trained">trained</span>' in html
    assert "baseline" in html
    assert reverse("data:dataset_detail", args=[cast.project.id, dataset.id]) in html
    assert (
        f'href="{reverse("registry:model_detail", args=[cast.project.id, parent.id])}">base<'
        in html
    )


def test_it_does_not_list_the_models_of_another_project(viewer_client, cast, url):
    ModelVersionFactory(project=cast.project, name="ours")
    ModelVersionFactory(project=cast.other_project, name="theirs")
    ModelVersionFactory(project=None, name="public-pretrained")
    assert names_in(viewer_client.get(url)) == ["ours"]


def test_it_searches_by_name_ignoring_case(viewer_client, cast, url):
    for name in ("ResNet small", "resnet big", "mlp"):
        ModelVersionFactory(project=cast.project, name=name)
    response = viewer_client.get(url, {"q": "RESNET", "sort": "name"})
    assert names_in(response) == ["ResNet small", "resnet big"]


def test_it_filters_by_package_status_and_tag(viewer_client, cast, url):
    mlp, cnn = PackageFactory(), PackageFactory()
    wanted = ModelVersionFactory(project=cast.project, package=mlp, name="wanted", status="trained")
    ModelTag.objects.create(model=wanted, name="v2")
    ModelVersionFactory(project=cast.project, package=cnn, name="other package", status="trained")
    ModelVersionFactory(project=cast.project, package=mlp, name="other status", status="failed")
    untagged = ModelVersionFactory(project=cast.project, package=mlp, name="untagged")
    untagged.status = "trained"
    untagged.save()
    assert names_in(viewer_client.get(url, {"package": mlp.id, "sort": "name"})) == [
        "other status",
        "untagged",
        "wanted",
    ]
    assert names_in(viewer_client.get(url, {"status": "failed"})) == ["other status"]
    assert names_in(viewer_client.get(url, {"tag": "v2"})) == ["wanted"]
    both = {"package": mlp.id, "status": "trained", "sort": "name"}
    assert names_in(viewer_client.get(url, both)) == ["untagged", "wanted"]


def test_a_tag_that_no_model_has_matches_nothing(viewer_client, cast, url):
    ModelVersionFactory(project=cast.project)
    response = viewer_client.get(url, {"tag": "gone"})
    assert names_in(response) == []
    assert "No model version matches these filters." in response.content.decode()


def test_it_sorts_by_each_column_both_ways(viewer_client, cast, url):
    ModelVersionFactory(project=cast.project, name="b", status="trained")
    ModelVersionFactory(project=cast.project, name="c", status="created")
    ModelVersionFactory(project=cast.project, name="a", status="failed")
    assert names_in(viewer_client.get(url, {"sort": "name"})) == ["a", "b", "c"]
    assert names_in(viewer_client.get(url, {"sort": "-name"})) == ["c", "b", "a"]
    assert names_in(viewer_client.get(url, {"sort": "status"})) == ["c", "a", "b"]
    assert names_in(viewer_client.get(url, {"sort": "created"})) == ["b", "c", "a"]
    assert names_in(viewer_client.get(url)) == ["a", "c", "b"]


def test_column_headers_sort_and_keep_the_filters_in_the_query_string(viewer_client, cast, url):
    ModelVersionFactory(project=cast.project, name="net")
    html = viewer_client.get(url, {"q": "net", "sort": "name"}).content.decode()
    assert 'href="?q=net&amp;sort=-name"' in html
    assert 'aria-sort="ascending"' in html
    assert 'href="?q=net&amp;sort=status"' in html


def test_it_shows_50_models_a_page_and_keeps_the_filters_in_the_page_links(
    viewer_client, cast, url
):
    for n in range(55):
        ModelVersionFactory(project=cast.project, name=f"net-{n:02d}")
    first = viewer_client.get(url, {"q": "net", "sort": "name"})
    assert len(names_in(first)) == 50
    assert 'href="?q=net&amp;sort=name&amp;page=2"' in first.content.decode()
    second = viewer_client.get(url, {"q": "net", "sort": "name", "page": 2})
    assert names_in(second) == [f"net-{n}" for n in range(50, 55)]


def test_per_page_changes_the_page_size(viewer_client, cast, url):
    for _ in range(12):
        ModelVersionFactory(project=cast.project)
    assert len(names_in(viewer_client.get(url, {"per_page": 5}))) == 5


def test_an_empty_project_invites_a_developer_to_create_a_model(client, cast, url):
    client.force_login(cast.developer)
    html = client.get(url).content.decode()
    assert "No model versions yet." in html
    assert reverse("registry:model_create", args=[cast.project.id]) in html


def test_a_viewer_is_not_offered_to_create_a_model(viewer_client, cast, url):
    html = viewer_client.get(url).content.decode()
    assert reverse("registry:model_create", args=[cast.project.id]) not in html


def test_the_search_field_has_the_slash_shortcut_script(viewer_client, url):
    html = viewer_client.get(url).content.decode()
    assert "data-search-shortcut" in html
    assert "registry/models_list.js" in html


def test_the_number_of_queries_does_not_grow_with_the_rows(viewer_client, cast, url):
    package = PackageFactory()
    make_models(cast.project, 3, package)
    viewer_client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert len(names_in(viewer_client.get(url))) == 3
    make_models(cast.project, 27, package)
    with CaptureQueriesContext(connection) as many:
        assert len(names_in(viewer_client.get(url))) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_model_list_stays_under_a_fixed_number_of_queries(
    viewer_client, cast, url, django_assert_max_num_queries
):
    make_models(cast.project, 30)
    with django_assert_max_num_queries(12):
        viewer_client.get(url, {"tag": "shared", "sort": "-status"})


def test_a_model_name_with_html_is_escaped(viewer_client, cast, url):
    ModelVersionFactory(project=cast.project, name="<script>alert(1)</script>")
    html = viewer_client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
