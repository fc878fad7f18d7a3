"""Imports into a dataset: loose images and a zip of label folders (COCO: imports_coco.py).

Every import checks everything first (names, sizes, paths inside archives, that
each file is an image Pillow decodes, boxes), then stores the files and writes
the rows in one transaction. When anything fails no row remains and the files
already stored are deleted again. Errors name the field and the file or row.
"""

import io
import os
import re
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from core.db import chunked, in_chunk_size
from data.models import Annotation, AnnotationKind, Dataset, Item
from data.services.checks import checked_subset
from data.services.labels import labels_ensure
from registry.models import Subset
from registry.services.files import checked_file_name, human_size

FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
}
MAX_PROBLEMS = 20  # per error: enough to fix a batch in one go, short enough to read
BATCH_SIZE = 1000
ABSOLUTE_PATH = re.compile(r"^([/\\]|[A-Za-z]:)")
JUNK_FOLDERS = {"__MACOSX"}  # what macOS and Windows add to archives on their own
JUNK_FILES = {".DS_Store", "Thumbs.db"}


@dataclass
class ImageSource:
    """One image to import: its item name, how to read its bytes, what the checks found."""

    name: str
    read: Callable[[], bytes]
    where: str = ""  # how errors name it: the path in the archive, or the file name
    label: str = ""
    width: int = 0
    height: int = 0
    size: int = 0
    content_type: str = ""

    def __post_init__(self) -> None:
        self.where = self.where or self.name


# --- Loose images ---------------------------------------------------------


def images_upload(*, dataset: Dataset, files: list, user, subset: str = Subset.NONE) -> list[Item]:
    checked_subset(subset)
    if not files:
        raise ValidationError({"files": "Choose at least one image."})
    sources = upload_sources(files)
    each_checked(sources, lambda source: checked_file_name(source.name, "files"), "files")
    check_names_free(dataset, sources, "files")
    each_checked(sources, lambda source: image_inspect(source, "files"), "files")
    with stored_or_removed("files") as stored:
        return items_create(dataset, sources, stored, subset)


def upload_sources(files: list) -> list[ImageSource]:
    return [
        ImageSource(name=os.path.basename(file.name or ""), read=_upload_reader(file))
        for file in files
    ]


def _upload_reader(file) -> Callable[[], bytes]:
    def read() -> bytes:
        file.seek(0)
        # One byte over the limit is enough to know the file is too large.
        return file.read(settings.MAX_IMAGE_BYTES + 1)

    return read


# --- A zip of label folders -----------------------------------------------


def zip_import(*, dataset: Dataset, archive, user) -> dict:
    wrong_kind = "Label folders are for class datasets; import boxes as COCO."
    check_kind(dataset, AnnotationKind.CLASS, "archive", wrong_kind)
    with zip_opened(archive, "archive") as archive_file:
        sources = _class_sources(archive_file)
        check_names_free(dataset, sources, "archive")
        each_checked(sources, lambda source: image_inspect(source, "archive"), "archive")
        with stored_or_removed("archive") as stored:
            labels, added = labels_ensure(dataset=dataset, names=sorted({s.label for s in sources}))
            items = items_create(dataset, sources, stored)
            _class_labels_create(items, [labels[source.label] for source in sources], user)
    return {
        "items": len(items),
        "annotations": len(items),
        "labels": len(added),
        "labels_added": added,
    }


def _class_labels_create(items: list[Item], labels: list, user) -> None:
    kind = AnnotationKind.CLASS
    annotations = [
        Annotation(item=item, label=label, kind=kind, created_by=user)
        for item, label in zip(items, labels, strict=True)
    ]
    Annotation.objects.bulk_create(annotations, batch_size=BATCH_SIZE)


def _class_sources(archive_file: zipfile.ZipFile) -> list[ImageSource]:
    entries = zip_entries(archive_file, "archive")
    each_checked(entries, lambda info: _check_class_path(info.filename), "archive")
    return [
        ImageSource(
            name=PurePosixPath(info.filename).name,
            where=info.filename,
            label=info.filename.split("/")[0],
            read=entry_reader(archive_file, info, "archive"),
        )
        for info in entries
    ]


def _check_class_path(path: str) -> None:
    parts = path.split("/")
    if len(parts) != 2:
        raise problem(
            "archive", path, "expected label/file: one folder per label, no deeper folders"
        )
    label, name = parts
    if not label or label != label.strip() or len(label) > 100:
        raise problem("archive", path, "the folder name is not a usable label name")
    try:
        checked_file_name(name, "archive")
    except ValidationError:
        raise problem(
            "archive", path, "not a plain file name (letters, digits, . _ - only)"
        ) from None


# --- Archives -------------------------------------------------------------


@contextmanager
def zip_opened(archive, field: str) -> Iterator[zipfile.ZipFile]:
    name = os.path.basename(getattr(archive, "name", "") or "the archive")
    size = file_size(archive)
    if size > settings.MAX_ARCHIVE_BYTES:
        limit = human_size(settings.MAX_ARCHIVE_BYTES)
        raise problem(field, name, f"is {human_size(size)}; archives are limited to {limit}")
    try:
        archive.seek(0)
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise problem(field, name, "is not a zip archive that can be read") from error
    with opened:
        yield opened


def zip_entries(archive_file: zipfile.ZipFile, field: str) -> list[zipfile.ZipInfo]:
    """The archive's files, each checked to be safe to read; folders and OS junk left out."""
    entries = [
        info
        for info in archive_file.infolist()
        if not info.is_dir() and not _is_junk(info.filename)
    ]
    if not entries:
        raise ValidationError({field: "The archive holds no files."})
    each_checked(entries, lambda info: _check_entry(info, field), field)
    # Declared sizes are checked here; zipfile never unpacks more than an entry
    # declares (its CRC check fails), so the actual sizes are bounded by them.
    declared = sum(info.file_size for info in entries)
    if declared > settings.MAX_ARCHIVE_BYTES:
        limit = human_size(settings.MAX_ARCHIVE_BYTES)
        raise ValidationError(
            {field: f"The archive unpacks to {human_size(declared)}, over the {limit} allowed."}
        )
    return entries


def _is_junk(path: str) -> bool:
    parts = path.split("/")
    return parts[0] in JUNK_FOLDERS or parts[-1] in JUNK_FILES


def _check_entry(info: zipfile.ZipInfo, field: str) -> None:
    path = info.filename
    if ABSOLUTE_PATH.match(path):
        raise problem(field, path, "absolute paths are not allowed")
    if "\\" in path:
        raise problem(field, path, "backslashes are not allowed in paths")
    if ".." in path.split("/"):
        raise problem(field, path, "paths may not leave the archive")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise problem(field, path, "symbolic links are not allowed")
    if info.flag_bits & 0x1:
        raise problem(field, path, "encrypted entries are not supported")
    if info.file_size > settings.MAX_IMAGE_BYTES:
        limit = human_size(settings.MAX_IMAGE_BYTES)
        raise problem(
            field, path, f"unpacks to {human_size(info.file_size)}; images are limited to {limit}"
        )


def entry_reader(
    archive_file: zipfile.ZipFile, info: zipfile.ZipInfo, field: str
) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with archive_file.open(info) as entry:
                return entry.read(settings.MAX_IMAGE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            raise problem(
                field, info.filename, "the entry is damaged and cannot be unpacked"
            ) from error

    return read


def file_size(file) -> int:
    if getattr(file, "size", None) is not None:
        return file.size
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


# --- Shared by every import -----------------------------------------------


def image_inspect(source: ImageSource, field: str) -> None:
    """Fill in the size, dimensions and type, or raise naming the file."""
    data = source.read()
    if len(data) > settings.MAX_IMAGE_BYTES:
        raise problem(field, source.where, f"is larger than {human_size(settings.MAX_IMAGE_BYTES)}")
    source.width, source.height, image_format = _decoded(data, source.where, field)
    source.size, source.content_type = len(data), FORMATS[image_format]


def _decoded(data: bytes, where: str, field: str) -> tuple[int, int, str]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            _check_format_and_pixels(image_format, width, height, where, field)
            image.verify()  # checksums and structure; the image is unusable after it
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the pixels themselves: catches truncated data
    except ValidationError:
        raise
    except UnidentifiedImageError as error:
        raise problem(field, where, f"is not an image ({', '.join(FORMATS)})") from error
    except Image.DecompressionBombError as error:
        raise problem(
            field, where, f"has more than {settings.MAX_IMAGE_PIXELS:,} pixels"
        ) from error
    except Exception as error:  # Pillow raises many kinds on damaged data; all mean the same here
        raise problem(field, where, "is a damaged image: its data cannot be decoded") from error
    return width, height, image_format


def _check_format_and_pixels(
    image_format: str, width: int, height: int, where: str, field: str
) -> None:
    if image_format not in FORMATS:
        raise problem(field, where, f"is {image_format}; allowed are {', '.join(FORMATS)}")
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise problem(
            field, where, f"has {width}×{height} pixels, more than {settings.MAX_IMAGE_PIXELS:,}"
        )


def each_checked(values: list, check: Callable, field: str) -> None:
    """Run `check` on every value, then raise the problems found (at most 20) at once."""
    problems: list[str] = []
    for value in values:
        try:
            check(value)
        except ValidationError as error:
            problems.extend(error.messages)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ValidationError({field: problems[:MAX_PROBLEMS]})


def check_names_free(dataset: Dataset, sources: list[ImageSource], field: str) -> None:
    counts = Counter(source.name for source in sources)
    repeated = [
        f"{name}: appears {count} times in this upload"
        for name, count in counts.items()
        if count > 1
    ]
    if repeated:
        raise ValidationError({field: repeated[:MAX_PROBLEMS]})
    taken: list[str] = []
    for chunk in chunked(list(counts), in_chunk_size()):
        taken += dataset.items.filter(name__in=chunk).values_list("name", flat=True)
    if taken:
        problems = [
            f"{name}: the dataset already has an item of this name" for name in sorted(taken)
        ]
        raise ValidationError({field: problems[:MAX_PROBLEMS]})


@contextmanager
def stored_or_removed(field: str) -> Iterator[list[str]]:
    """A transaction that also deletes the files stored in it when it fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except IntegrityError as error:
        files_delete(stored)
        # Another import took some of the names between our check and our insert.
        raise ValidationError(
            {field: "Items of the same names were added meanwhile; nothing was imported."}
        ) from error
    except BaseException:
        files_delete(stored)
        raise


def items_create(
    dataset: Dataset, sources: list[ImageSource], stored: list[str], subset: str = Subset.NONE
) -> list[Item]:
    items = []
    for source in sources:
        item = Item(
            dataset=dataset,
            name=source.name,
            content_type=source.content_type,
            size=source.size,
            width=source.width,
            height=source.height,
            subset=subset,
        )
        item.file.save(source.name, ContentFile(source.read()), save=False)
        stored.append(item.file.name)
        items.append(item)
    return Item.objects.bulk_create(items, batch_size=BATCH_SIZE)


def files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def check_kind(dataset: Dataset, kind: str, field: str, message: str) -> None:
    if dataset.annotation_kind != kind:
        raise ValidationError({field: message})


def problem(field: str, where: str, message: str) -> ValidationError:
    """An error of `field` that starts with the file or path it is about."""
    return ValidationError({field: f"{where}: {message}"})
