import pytest

from tests.factories import DatasetFactory, ItemFactory, LabelFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_projects_datasets_with_kind_items_and_labels(client, cast):
    dataset = DatasetFactory(project=cast.project, name="parts", annotation_kind="box")
    LabelFactory(dataset=dataset, name="bolt", color="#123456")
    ItemFactory.create_batch(3, dataset=dataset)
    DatasetFactory(project=cast.other_project, name="secret-set")
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/datasets/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "parts" in html
    assert "boxes" in html
    assert '<td class="num">3</td>' in html
    assert "#123456" in html
    assert "bolt" in html
    assert "secret-set" not in html


def test_it_invites_a_developer_to_create_the_first_dataset(client, cast):
    client.force_login(cast.developer)

    response = client.get(f"/projects/{cast.project.id}/datasets/")

    assert b"Create the first dataset" in response.content
    assert f"/projects/{cast.project.id}/datasets/new/".encode() in response.content


def test_a_viewer_sees_no_create_button(client, cast):
    client.force_login(cast.viewer)

    response = client.get(f"/projects/{cast.project.id}/datasets/")

    assert b"No datasets" in response.content
    assert b"/datasets/new/" not in response.content


def test_the_query_count_does_not_grow_with_the_datasets(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.viewer)
    DatasetFactory(project=cast.project)
    with django_assert_max_num_queries(100) as few:
        client.get(f"/projects/{cast.project.id}/datasets/")
    for _ in range(5):
        LabelFactory(dataset=DatasetFactory(project=cast.project))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/projects/{cast.project.id}/datasets/")

    assert response.status_code == 200
