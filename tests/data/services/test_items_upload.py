import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from data.models import Item
from data.services.datasets import item_delete, items_upload_images
from registry.models import Subset
from tests.factories import ItemFactory
from tests.fixtures.service_rows import counts, stored_files, upload
from tests.images import jpeg_bytes, png_bytes


def image_bytes(image_format: str, width: int = 20, height: int = 10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def test_it_stores_several_images_with_their_metadata(class_dataset, user, media_in_tmp):
    files = [upload("a.png", png_bytes(32, 24)), upload("b.jpg", jpeg_bytes(), "image/jpeg")]
    items = items_upload_images(dataset=class_dataset, files=files, user=user, subset="test")
    a, b = Item.objects.order_by("name")
    assert [item.id for item in items] == [a.id, b.id]
    assert (a.width, a.height, a.content_type, a.subset) == (32, 24, "image/png", Subset.TEST)
    assert a.size == len(png_bytes(32, 24))
    assert (b.width, b.height, b.content_type) == (16, 16, "image/jpeg")
    assert a.file.read() == png_bytes(32, 24)
    assert len(stored_files(media_in_tmp)) == 2


@pytest.mark.parametrize(
    ("image_format", "content_type"),
    [("WEBP", "image/webp"), ("BMP", "image/bmp"), ("GIF", "image/gif"), ("TIFF", "image/tiff")],
)
def test_it_accepts_every_allowed_format(class_dataset, user, image_format, content_type):
    files = [upload(f"x.{image_format.lower()}", image_bytes(image_format))]
    (item,) = items_upload_images(dataset=class_dataset, files=files, user=user)
    assert (item.content_type, item.width, item.height) == (content_type, 20, 10)


def assert_refused(dataset, user, media, files, problem: str, field: str = "files") -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        items_upload_images(dataset=dataset, files=files, user=user)
    assert problem in " ".join(error.value.message_dict[field])
    assert counts() == before
    assert stored_files(media) == []


def test_it_refuses_a_file_that_is_not_an_image(class_dataset, user, media_in_tmp):
    files = [upload("ok.png", png_bytes()), upload("notes.png", b"just some text")]
    assert_refused(class_dataset, user, media_in_tmp, files, "notes.png: is not an image")


def test_it_refuses_a_truncated_png(class_dataset, user, media_in_tmp):
    data = png_bytes(64, 64)
    files = [upload("ok.png", png_bytes()), upload("cut.png", data[: len(data) // 2])]
    assert_refused(class_dataset, user, media_in_tmp, files, "cut.png: is a damaged image")


def test_it_refuses_an_image_format_that_is_not_allowed(class_dataset, user, media_in_tmp):
    files = [upload("x.ico", image_bytes("ICO", 16, 16))]
    assert_refused(class_dataset, user, media_in_tmp, files, "x.ico: is ICO; allowed are")


def test_it_refuses_an_image_over_the_size_limit(class_dataset, user, media_in_tmp, settings):
    settings.MAX_IMAGE_BYTES = 200
    files = [upload("small.png", png_bytes()), upload("big.png", png_bytes(200, 200))]
    assert len(png_bytes()) <= 200 < len(png_bytes(200, 200))
    assert_refused(class_dataset, user, media_in_tmp, files, "big.png: is larger than 200 B")


def test_it_refuses_an_image_over_the_pixel_limit(class_dataset, user, media_in_tmp, settings):
    settings.MAX_IMAGE_PIXELS = 100
    files = [upload("wide.png", png_bytes(20, 20))]
    assert_refused(class_dataset, user, media_in_tmp, files, "more than 100")


def test_it_refuses_a_name_repeated_in_the_batch(class_dataset, user, media_in_tmp):
    files = [upload("a.png", png_bytes()), upload("a.png", png_bytes())]
    assert_refused(class_dataset, user, media_in_tmp, files, "a.png: appears 2 times")


def test_it_refuses_a_name_already_in_the_dataset(class_dataset, user, media_in_tmp):
    ItemFactory(dataset=class_dataset, name="a.png")
    before = stored_files(media_in_tmp)
    with pytest.raises(ValidationError) as error:
        items_upload_images(dataset=class_dataset, files=[upload("a.png", png_bytes())], user=user)
    assert "a.png: the dataset already has" in error.value.message_dict["files"][0]
    assert stored_files(media_in_tmp) == before


def test_it_refuses_a_name_that_is_not_plain(class_dataset, user, media_in_tmp):
    files = [upload("$weird.png", png_bytes())]
    assert_refused(class_dataset, user, media_in_tmp, files, "not a plain file name")


def test_it_lists_every_bad_file_at_once(class_dataset, user, media_in_tmp):
    files = [upload("one.png", b"x"), upload("two.png", b"y")]
    with pytest.raises(ValidationError) as error:
        items_upload_images(dataset=class_dataset, files=files, user=user)
    assert [message.split(":")[0] for message in error.value.message_dict["files"]] == [
        "one.png",
        "two.png",
    ]


def test_it_refuses_an_unknown_subset(class_dataset, user):
    with pytest.raises(ValidationError) as error:
        items_upload_images(
            dataset=class_dataset, files=[upload("a.png", png_bytes())], user=user, subset="dev"
        )
    assert "subset" in error.value.message_dict


def test_files_are_removed_when_the_rows_cannot_be_written(
    class_dataset, user, media_in_tmp, monkeypatch
):
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Item.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        items_upload_images(dataset=class_dataset, files=[upload("a.png", png_bytes())], user=user)
    assert stored_files(media_in_tmp) == []


def test_deleting_an_item_deletes_its_file_on_commit(
    class_dataset, user, media_in_tmp, django_capture_on_commit_callbacks
):
    (item,) = items_upload_images(
        dataset=class_dataset, files=[upload("a.png", png_bytes())], user=user
    )
    with django_capture_on_commit_callbacks(execute=True):
        item_delete(item=item)
    assert not Item.objects.exists()
    assert stored_files(media_in_tmp) == []
