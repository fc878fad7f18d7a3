import pytest

from data.models import Annotation, Dataset, Item
from pipelines.models import Pipeline
from registry.models import ModelVersion
from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory, LabelFactory
from tests.pipelines.pages.test_pipeline_pages import build_champion, make_pipeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    dataset = DatasetFactory(project=cast.project, name="doomed")
    label = LabelFactory(dataset=dataset)
    for item in ItemFactory.create_batch(3, dataset=dataset):
        AnnotationFactory(item=item, label=label)
    return dataset


def _url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/delete/"


def test_the_confirmation_says_how_many_items_and_annotations_go(client, cast, dataset):
    client.force_login(cast.developer)

    response = client.get(_url(dataset))

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 items and their image files" in html
    assert "3 annotations" in html
    assert "1 label." in html
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_the_confirmation_names_the_pipelines_that_go_with_it(client, cast):
    champion = build_champion(cast.project, cast.developer)
    make_pipeline(champion, name="<b>nightly</b>")
    make_pipeline(champion, name="weekly")
    client.force_login(cast.developer)

    html = client.get(_url(champion.dataset)).content.decode()

    assert "the pipelines that train on it, with their runs:" in html
    assert "&lt;b&gt;nightly&lt;/b&gt;</a>, <a" in html
    assert "Model versions stay." in html


def test_deleting_it_deletes_its_pipelines_and_keeps_their_champion(client, cast):
    champion = build_champion(cast.project, cast.developer)
    make_pipeline(champion)
    client.force_login(cast.developer)

    response = client.post(_url(champion.dataset))

    assert response.status_code == 302
    assert not Pipeline.objects.exists()
    assert ModelVersion.objects.filter(pk=champion.pk).exists()


def test_posting_deletes_the_dataset_its_items_and_their_files(
    client, cast, dataset, media_in_tmp, django_capture_on_commit_callbacks
):
    files = [media_in_tmp / item.file.name for item in dataset.items.all()]
    assert all(path.exists() for path in files)
    client.force_login(cast.developer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(dataset))

    assert response.status_code == 302
    assert response.url == f"/projects/{cast.project.id}/datasets/"
    assert not Dataset.objects.filter(pk=dataset.pk).exists()
    assert not Item.objects.exists()
    assert not Annotation.objects.exists()
    assert not any(path.exists() for path in files)


def test_an_annotator_cannot_delete(client, cast, dataset):
    client.force_login(cast.annotator)

    response = client.post(_url(dataset))

    assert response.status_code == 403
    assert Dataset.objects.filter(pk=dataset.pk).exists()
