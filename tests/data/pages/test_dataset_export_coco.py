import json

import pytest

from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory, LabelFactory

pytestmark = pytest.mark.django_db


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/export/coco/"


def test_it_downloads_the_ground_truth_as_valid_coco_json(client, cast):
    dataset = DatasetFactory(project=cast.project, name="Parts 2024", annotation_kind="box")
    bolt = LabelFactory(dataset=dataset, name="bolt", position=0)
    nut = LabelFactory(dataset=dataset, name="nut", position=1)
    item = ItemFactory(dataset=dataset, name="a.png", width=40, height=30)
    AnnotationFactory(item=item, label=nut, kind="box", x=1, y=2, w=3, h=4)
    client.force_login(cast.viewer)

    response = client.get(_url(dataset))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="parts-2024-coco.json"'
    coco = json.loads(b"".join(response.streaming_content))
    assert [c["name"] for c in coco["categories"]] == [bolt.name, nut.name]
    assert coco["images"] == [{"id": item.id, "file_name": "a.png", "width": 40, "height": 30}]
    (box,) = coco["annotations"]
    assert box["bbox"] == [1.0, 2.0, 3.0, 4.0]
    assert box["image_id"] == item.id
    assert box["category_id"] == 2


def test_an_empty_dataset_exports_empty_lists(client, cast):
    dataset = DatasetFactory(project=cast.project)
    client.force_login(cast.viewer)

    coco = json.loads(b"".join(client.get(_url(dataset)).streaming_content))

    assert (coco["images"], coco["annotations"], coco["categories"]) == ([], [], [])
