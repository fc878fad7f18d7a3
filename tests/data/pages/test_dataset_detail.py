"""The item grid: thumbnails with the ground truth drawn, filters, counts, selection."""

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
def boxes(cast):
    return DatasetFactory(project=cast.project, annotation_kind="box")


def _url(dataset, query: str = "") -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/{query}"


def _box(item, label, x=1, y=2, w=5, h=6, **extra):
    return AnnotationFactory(item=item, label=label, kind="box", x=x, y=y, w=w, h=h, **extra)


def test_each_thumbnail_links_to_its_item_and_shows_its_image(client, cast, boxes):
    item = ItemFactory(dataset=boxes, name="a.png")
    client.force_login(cast.viewer)

    response = client.get(_url(boxes))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{_url(boxes)}items/{item.id}/"' in html
    assert f'src="{_url(boxes)}items/{item.id}/image"' in html
    assert 'alt="a.png"' in html


def test_boxes_are_drawn_in_an_svg_over_the_image_in_the_label_colour(client, cast, boxes):
    label = LabelFactory(dataset=boxes, name="bolt", color="#00aa11")
    item = ItemFactory(dataset=boxes, width=40, height=30)
    _box(item, label, x=3.5, y=4, w=10, h=12)
    client.force_login(cast.viewer)

    html = client.get(_url(boxes)).content.decode()

    assert '<svg viewBox="0 0 40 30" preserveAspectRatio="xMidYMid meet"' in html
    assert '<rect x="3.5" y="4.0" width="10.0" height="12.0" fill="none" stroke="#00aa11"' in html
    assert ">bolt</text>" in html


def test_predictions_are_not_drawn(client, cast, boxes):
    label = LabelFactory(dataset=boxes, name="bolt")
    item = ItemFactory(dataset=boxes)
    model = ModelVersionFactory(project=cast.project)
    _box(item, label, x=7, model=model, confidence=0.9)
    client.force_login(cast.viewer)

    html = client.get(_url(boxes)).content.decode()

    assert "<rect" not in html
    assert "0 boxes" in html


def test_a_classification_item_shows_its_label_as_a_coloured_chip(client, cast):
    dataset = DatasetFactory(project=cast.project, annotation_kind="class")
    label = LabelFactory(dataset=dataset, name="seven", color="#abcdef")
    AnnotationFactory(item=ItemFactory(dataset=dataset), label=label)
    client.force_login(cast.viewer)

    html = client.get(_url(dataset)).content.decode()

    caption = html[html.index('<div class="caption">') :]
    assert 'style="background: #abcdef"' in caption
    assert "seven" in caption
    assert "<rect" not in html


def test_it_filters_by_label_and_counts_items_per_label(client, cast, boxes):
    bolt = LabelFactory(dataset=boxes, name="bolt")
    nut = LabelFactory(dataset=boxes, name="nut")
    with_bolt = ItemFactory(dataset=boxes, name="with-bolt.png")
    _box(with_bolt, bolt)
    _box(with_bolt, bolt, x=8)
    _box(ItemFactory(dataset=boxes, name="with-nut.png"), nut)
    client.force_login(cast.viewer)

    html = client.get(_url(boxes, f"?label={bolt.id}")).content.decode()

    assert html.count('alt="with-bolt.png"') == 1
    assert "with-nut.png" not in html
    assert f'<option value="{bolt.id}" selected>bolt (1)</option>' in html
    assert "1 item match the filters" in html


def test_it_filters_by_subset_and_counts_items_per_subset(client, cast, boxes):
    ItemFactory.create_batch(2, dataset=boxes, subset="train")
    ItemFactory(dataset=boxes, subset="test", name="tested.png")
    client.force_login(cast.viewer)

    html = client.get(_url(boxes, "?subset=test")).content.decode()

    assert 'alt="tested.png"' in html
    assert html.count('class="thumb"') == 1
    assert "train 2</a>" in html
    assert "test 1</a>" in html
    assert 'href="?subset=train"' in html


def test_filter_links_keep_the_other_filter_in_the_query_string(client, cast, boxes):
    label = LabelFactory(dataset=boxes, name="bolt")
    client.force_login(cast.viewer)

    html = client.get(_url(boxes, "?subset=test&page=2")).content.decode()

    assert f'href="?subset=test&amp;label={label.id}"' in html


def test_unknown_filter_values_are_ignored(client, cast, boxes):
    other_label = LabelFactory(dataset=DatasetFactory(project=cast.project))
    ItemFactory(dataset=boxes)
    client.force_login(cast.viewer)

    response = client.get(_url(boxes, f"?label={other_label.id}&subset=nope"))

    assert response.status_code == 200
    assert response.content.decode().count('class="thumb"') == 1


def test_it_shows_48_items_a_page_or_per_page(client, cast, boxes):
    ItemFactory.create_batch(50, dataset=boxes)
    client.force_login(cast.viewer)

    first = client.get(_url(boxes)).content.decode()
    small = client.get(_url(boxes, "?per_page=10&page=2")).content.decode()

    assert first.count('class="thumb"') == 48
    assert "Page 1 of 2" in first
    assert small.count('class="thumb"') == 10
    assert "Page 2 of 5" in small
    assert 'href="?per_page=10&amp;page=3"' in small


def test_the_number_of_queries_does_not_grow_with_the_items_on_the_page(
    client, cast, boxes, django_assert_max_num_queries
):
    labels = [LabelFactory(dataset=boxes) for _ in range(3)]

    def add_items(count: int) -> None:
        for index in range(count):
            item = ItemFactory(dataset=boxes)
            _box(item, labels[index % 3])
            _box(item, labels[(index + 1) % 3], x=2)

    add_items(3)
    client.force_login(cast.annotator)
    with django_assert_max_num_queries(100) as three_items:
        client.get(_url(boxes))
    add_items(27)

    with django_assert_max_num_queries(len(three_items.captured_queries)):
        response = client.get(_url(boxes))

    assert response.content.decode().count('class="thumb"') == 30


def test_label_names_are_escaped_in_the_grid_and_the_svg(client, cast, boxes):
    label = LabelFactory(dataset=boxes, name="<script>alert(1)</script>")
    _box(ItemFactory(dataset=boxes), label)
    client.force_login(cast.viewer)

    html = client.get(_url(boxes)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</text>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (1)</option>" in html


def test_an_annotator_gets_selection_checkboxes_and_the_subset_form(client, cast, boxes):
    item = ItemFactory(dataset=boxes)
    client.force_login(cast.annotator)

    html = client.get(_url(boxes)).content.decode()

    assert f'name="item" value="{item.id}" form="assign-subset"' in html
    assert 'id="select-all"' in html
    assert f'action="{_url(boxes)}items/subset/"' in html
    assert "data/dataset_detail.js" in html


def test_a_viewer_gets_no_checkboxes_nor_edit_buttons(client, cast, boxes):
    ItemFactory(dataset=boxes)
    client.force_login(cast.viewer)

    html = client.get(_url(boxes)).content.decode()

    assert 'name="item"' not in html
    assert 'id="assign-subset"' not in html
    assert "/upload/" not in html
    assert "/export/coco/" in html


def test_an_empty_dataset_invites_a_developer_to_upload(client, cast, boxes):
    client.force_login(cast.developer)

    html = client.get(_url(boxes)).content.decode()

    assert "no items yet" in html
    assert f'href="{_url(boxes)}upload/"' in html


def test_pages_in_the_second_half_hold_the_same_items_as_counting_from_the_start(
    client, cast, boxes
):
    items = ItemFactory.create_batch(7, dataset=boxes)
    client.force_login(cast.viewer)

    pages = [client.get(_url(boxes, f"?per_page=2&page={n}")).content.decode() for n in (1, 3, 4)]

    ids = [[item.id for item in items[start : start + 2]] for start in (0, 4, 6)]
    for html, expected in zip(pages, ids, strict=True):
        assert html.count('class="thumb"') == len(expected)
        for pk in expected:
            assert f"/items/{pk}/image" in html


def test_label_and_subset_filters_together_count_and_page_the_matching_items(client, cast, boxes):
    bolt = LabelFactory(dataset=boxes, name="bolt")
    matching = [ItemFactory(dataset=boxes, subset="test") for _ in range(3)]
    for item in matching:
        _box(item, bolt)
        _box(item, bolt, x=9)
    _box(ItemFactory(dataset=boxes, subset="train"), bolt)
    ItemFactory(dataset=boxes, subset="test")
    client.force_login(cast.viewer)

    html = client.get(
        _url(boxes, f"?label={bolt.id}&subset=test&per_page=2&page=2")
    ).content.decode()

    assert "3 items match the filters" in html
    assert "Page 2 of 2" in html
    assert html.count('class="thumb"') == 1
    assert f"/items/{matching[2].id}/image" in html
    assert f'<option value="{bolt.id}" selected>bolt (4)</option>' in html
