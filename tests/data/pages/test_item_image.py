import pytest
from django.core.files.base import ContentFile

from tests.factories import DatasetFactory, ItemFactory
from tests.images import jpeg_bytes, png_bytes
from tests.s3 import BUCKET

pytestmark = pytest.mark.django_db


def _url(item) -> str:
    return f"/projects/{item.dataset.project_id}/datasets/{item.dataset_id}/items/{item.id}/image"


def test_it_streams_the_stored_bytes_with_the_items_content_type(client, cast):
    data = png_bytes(20, 10, (1, 2, 3))
    item = ItemFactory(
        dataset=DatasetFactory(project=cast.project), file=ContentFile(data, name="a.png")
    )
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == data


def test_a_jpeg_is_served_as_a_jpeg(client, cast):
    data = jpeg_bytes()
    item = ItemFactory(
        dataset=DatasetFactory(project=cast.project),
        name="b.jpg",
        file=ContentFile(data, name="b.jpg"),
        content_type="image/jpeg",
    )
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == data


def test_only_the_browser_may_cache_it(client, cast):
    item = ItemFactory(dataset=DatasetFactory(project=cast.project))
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    assert response["Cache-Control"] == "private, max-age=3600"


def test_a_stored_type_that_is_not_a_raster_image_is_served_as_a_download(client, cast):
    item = ItemFactory(dataset=DatasetFactory(project=cast.project), content_type="text/html")
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    assert response["Content-Type"] == "application/octet-stream"


def test_a_missing_file_answers_404(client, cast, media_in_tmp):
    item = ItemFactory(dataset=DatasetFactory(project=cast.project))
    (media_in_tmp / item.file.name).unlink()
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    assert response.status_code == 404


def test_an_outsider_gets_404_not_the_bytes(client, cast):
    item = ItemFactory(dataset=DatasetFactory(project=cast.project))
    client.force_login(cast.outsider)

    response = client.get(_url(item))

    assert response.status_code == 404


def test_it_streams_an_image_stored_in_an_s3_bucket(client, cast, s3_storage):
    data = png_bytes(12, 12, (9, 9, 9))
    item = ItemFactory(
        dataset=DatasetFactory(project=cast.project), file=ContentFile(data, name="s3.png")
    )
    client.force_login(cast.viewer)

    response = client.get(_url(item))

    stored = s3_storage.get_object(Bucket=BUCKET, Key=item.file.name)["Body"].read()
    assert stored == data
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == data
