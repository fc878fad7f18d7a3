import io
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError

from data.models import Annotation, AnnotationKind, Item
from data.services.datasets import items_import_zip
from tests.fixtures.service_rows import counts, stored_files, upload
from tests.images import png_bytes, zip_bytes


def archive(entries: dict[str, bytes]):
    return upload("data.zip", zip_bytes(entries), "application/zip")


def test_it_creates_items_with_class_labels_and_adds_new_labels(class_dataset, user, media_in_tmp):
    entries = {
        "cat/c1.png": png_bytes(),
        "cat/c2.png": png_bytes(),
        "dog/d1.png": png_bytes(),
        "fish/f1.png": png_bytes(8, 8),
        "ant/a1.png": png_bytes(),
    }
    result = items_import_zip(dataset=class_dataset, archive=archive(entries), user=user)
    assert result == {
        "items": 5,
        "annotations": 5,
        "labels": 2,
        "labels_added": ["ant", "fish"],
    }
    labels = dict(Annotation.objects.values_list("item__name", "label__name"))
    assert labels == {
        "c1.png": "cat",
        "c2.png": "cat",
        "d1.png": "dog",
        "f1.png": "fish",
        "a1.png": "ant",
    }
    assert set(Annotation.objects.values_list("kind", flat=True)) == {AnnotationKind.CLASS}
    assert list(class_dataset.labels.values_list("name", flat=True)) == [
        "cat",
        "dog",
        "ant",
        "fish",
    ]
    assert Item.objects.get(name="f1.png").width == 8
    assert len(stored_files(media_in_tmp)) == 5


def test_it_skips_folders_and_operating_system_junk(class_dataset, user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as writer:
        writer.writestr("cat/", b"")
        writer.writestr("cat/c1.png", png_bytes())
        writer.writestr("__MACOSX/cat/._c1.png", b"resource fork")
        writer.writestr("cat/.DS_Store", b"finder")
    result = items_import_zip(
        dataset=class_dataset, archive=upload("a.zip", buffer.getvalue()), user=user
    )
    assert result["items"] == 1


def assert_refused(dataset, user, media, data: bytes, problem: str) -> None:
    before = counts()
    labels_before = dataset.labels.count()
    with pytest.raises(ValidationError) as error:
        items_import_zip(dataset=dataset, archive=upload("data.zip", data), user=user)
    assert problem in " ".join(error.value.message_dict["archive"])
    assert counts() == before
    assert dataset.labels.count() == labels_before
    assert stored_files(media) == []


def test_it_refuses_a_path_that_leaves_the_archive(class_dataset, user, media_in_tmp):
    data = zip_bytes({"cat/ok.png": png_bytes(), "../../x.png": png_bytes()})
    assert_refused(
        class_dataset, user, media_in_tmp, data, "../../x.png: paths may not leave the archive"
    )


def test_it_refuses_a_dot_dot_inside_a_path(class_dataset, user, media_in_tmp):
    data = zip_bytes({"cat/../x.png": png_bytes()})
    assert_refused(
        class_dataset, user, media_in_tmp, data, "cat/../x.png: paths may not leave the archive"
    )


def test_it_refuses_an_absolute_path(class_dataset, user, media_in_tmp):
    data = zip_bytes({"cat/ok.png": png_bytes(), "/etc/cat/x.png": png_bytes()})
    assert_refused(
        class_dataset, user, media_in_tmp, data, "/etc/cat/x.png: absolute paths are not allowed"
    )


def test_it_refuses_deeper_folders(class_dataset, user, media_in_tmp):
    data = zip_bytes({"animals/cat/x.png": png_bytes()})
    assert_refused(
        class_dataset,
        user,
        media_in_tmp,
        data,
        "animals/cat/x.png: expected label/file: one folder per label, no deeper folders",
    )


def test_it_refuses_a_file_outside_any_label_folder(class_dataset, user, media_in_tmp):
    data = zip_bytes({"x.png": png_bytes()})
    assert_refused(
        class_dataset,
        user,
        media_in_tmp,
        data,
        "x.png: expected label/file: one folder per label, no deeper folders",
    )


def test_it_refuses_a_symbolic_link(class_dataset, user, media_in_tmp):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as writer:
        link = zipfile.ZipInfo("cat/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        writer.writestr(link, "/etc/passwd")
    assert_refused(
        class_dataset,
        user,
        media_in_tmp,
        buffer.getvalue(),
        "cat/link.png: symbolic links are not allowed",
    )


def test_it_refuses_a_non_image_entry(class_dataset, user, media_in_tmp):
    data = zip_bytes({"cat/ok.png": png_bytes(), "cat/readme.txt": b"hello"})
    assert_refused(class_dataset, user, media_in_tmp, data, "cat/readme.txt: is not an image")


def test_it_refuses_a_zip_bomb_by_its_declared_size(class_dataset, user, media_in_tmp, settings):
    settings.MAX_IMAGE_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.writestr("cat/bomb.png", b"\0" * 5_000_000)
    assert len(buffer.getvalue()) < 10_000
    assert_refused(
        class_dataset, user, media_in_tmp, buffer.getvalue(), "cat/bomb.png: unpacks to 4.8 MB"
    )


def test_it_refuses_an_archive_that_unpacks_to_too_much(
    class_dataset, user, media_in_tmp, settings
):
    settings.MAX_ARCHIVE_BYTES = 50_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as writer:
        for index in range(10):
            writer.writestr(f"cat/{index}.png", b"\0" * 10_000)
    with pytest.raises(ValidationError) as error:
        items_import_zip(
            dataset=class_dataset, archive=upload("a.zip", buffer.getvalue()), user=user
        )
    assert "unpacks to 97.7 KB" in error.value.message_dict["archive"][0]


def test_it_refuses_an_entry_larger_than_it_declares(class_dataset, user, media_in_tmp):
    data = bytearray(zip_bytes({"cat/x.png": png_bytes(64, 64)}))
    # Shrink the declared size in the central directory; unpacking must not trust the rest.
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("cat/x.png")
    central = bytes(data).rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (info.file_size // 2).to_bytes(4, "little")
    assert_refused(class_dataset, user, media_in_tmp, bytes(data), "cat/x.png:")


def test_it_refuses_a_file_that_is_not_a_zip(class_dataset, user, media_in_tmp):
    assert_refused(class_dataset, user, media_in_tmp, b"not a zip", "data.zip: is not a zip")


def test_it_refuses_the_same_file_name_in_two_folders(class_dataset, user, media_in_tmp):
    data = zip_bytes({"cat/x.png": png_bytes(), "dog/x.png": png_bytes()})
    assert_refused(class_dataset, user, media_in_tmp, data, "x.png: appears 2 times in this upload")


def test_it_refuses_label_folders_in_a_box_dataset(box_dataset, user, media_in_tmp):
    data = zip_bytes({"bolt/x.png": png_bytes()})
    assert_refused(
        box_dataset,
        user,
        media_in_tmp,
        data,
        "Label folders are for class datasets; import boxes as COCO.",
    )
