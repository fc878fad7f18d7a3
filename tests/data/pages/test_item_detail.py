import pytest

from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    return DatasetFactory(project=cast.project, annotation_kind="box")


def _url(item) -> str:
    return f"/projects/{item.dataset.project_id}/datasets/{item.dataset_id}/items/{item.id}/"


def test_it_shows_the_image_large_with_the_ground_truth_boxes(client, cast, dataset):
    label = LabelFactory(dataset=dataset, name="bolt", color="#00aa11")
    item = ItemFactory(dataset=dataset, width=64, height=32)
    AnnotationFactory(item=item, label=label, kind="box", x=1, y=2, w=30, h=20)
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="{_url(item)}image"' in html
    assert 'width="512"' in html  # 64 px wide, scaled up by 8
    assert '<svg viewBox="0 0 64 32" preserveAspectRatio="xMidYMid meet"' in html
    assert 'stroke="#00aa11"' in html
    assert ">bolt</text>" in html


def test_the_table_lists_ground_truth_and_predictions_with_their_boxes(client, cast, dataset):
    label = LabelFactory(dataset=dataset, name="bolt")
    item = ItemFactory(dataset=dataset, width=64, height=64)
    model = ModelVersionFactory(project=cast.project, name="detector-v2")
    AnnotationFactory(
        item=item, label=label, kind="box", x=5, y=6, w=7.25, h=8, model=model, confidence=0.875
    )
    AnnotationFactory(item=item, label=label, kind="box", x=1, y=2, w=3, h=4)
    client.force_login(cast.viewer)

    html = client.get(_url(item)).content.decode()

    assert html.index("ground truth") < html.index("prediction by detector-v2 (0.88)")
    assert '<td class="num">7.3</td>' in html
    # Both drawn: the ground truth solid, the prediction dashed (its own layer).
    assert html.count("<rect") == 2
    assert html.count("stroke-dasharray") >= 1


def test_it_shows_the_facts_of_the_item(client, cast, dataset):
    item = ItemFactory(
        dataset=dataset, name="photo.png", width=16, height=12, size=2048, subset="test"
    )
    client.force_login(cast.viewer)

    html = client.get(_url(item)).content.decode()

    assert "<h1>photo.png</h1>" in html
    assert "2.0 KB" in html
    assert "16 × 12 px" in html
    assert "<dd>Test</dd>" in html


def test_it_links_to_the_previous_and_the_next_item(client, cast, dataset):
    first, middle, last = ItemFactory.create_batch(3, dataset=dataset)
    ItemFactory(
        dataset=DatasetFactory(project=cast.project)
    )  # another dataset's item is no neighbour
    client.force_login(cast.viewer)

    middle_html = client.get(_url(middle)).content.decode()
    last_html = client.get(_url(last)).content.decode()

    assert f'id="previous-item" rel="prev" href="{_url(first)}"' in middle_html
    assert f'id="next-item" rel="next" href="{_url(last)}"' in middle_html
    assert 'id="next-item"' not in last_html
    assert "data/item_detail.js" in middle_html


def test_only_developers_get_the_delete_button(client, cast, dataset):
    item = ItemFactory(dataset=dataset)

    client.force_login(cast.annotator)
    annotator_html = client.get(_url(item)).content.decode()
    client.force_login(cast.developer)
    developer_html = client.get(_url(item)).content.decode()

    assert f"{_url(item)}delete/" not in annotator_html
    assert f"{_url(item)}delete/" in developer_html


def test_an_item_of_another_dataset_is_not_found_through_this_one(client, cast, dataset):
    stranger = ItemFactory(dataset=DatasetFactory(project=cast.project))
    client.force_login(cast.owner)

    response = client.get(f"/projects/{cast.project.id}/datasets/{dataset.id}/items/{stranger.id}/")

    assert response.status_code == 404


def test_label_names_are_escaped_in_the_table_and_the_svg(client, cast, dataset):
    label = LabelFactory(dataset=dataset, name="<script>alert(1)</script>")
    item = ItemFactory(dataset=dataset)
    AnnotationFactory(item=item, label=label, kind="box", x=1, y=1, w=2, h=2)
    client.force_login(cast.viewer)

    html = client.get(_url(item)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</text>" in html
