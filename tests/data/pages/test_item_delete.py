import pytest

from data.models import Annotation, Item
from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cast):
    item = ItemFactory(dataset=DatasetFactory(project=cast.project), name="gone.png")
    AnnotationFactory(item=item)
    return item


def _url(item) -> str:
    return f"/projects/{item.dataset.project_id}/datasets/{item.dataset_id}/items/{item.id}/delete/"


def test_a_developer_deletes_the_item_its_annotations_and_its_file(
    client, cast, item, media_in_tmp, django_capture_on_commit_callbacks
):
    path = media_in_tmp / item.file.name
    client.force_login(cast.developer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(item), follow=True)

    assert (
        response.redirect_chain[-1][0] == f"/projects/{cast.project.id}/datasets/{item.dataset_id}/"
    )
    assert "Item “gone.png” deleted." in response.content.decode()
    assert not Item.objects.filter(pk=item.pk).exists()
    assert not Annotation.objects.exists()
    assert not path.exists()


def test_it_only_answers_post(client, cast, item):
    client.force_login(cast.developer)

    response = client.get(_url(item))

    assert response.status_code == 405
    assert Item.objects.filter(pk=item.pk).exists()


def test_an_annotator_cannot_delete_an_item(client, cast, item):
    client.force_login(cast.annotator)

    response = client.post(_url(item))

    assert response.status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()
