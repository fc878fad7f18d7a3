"""What the service tests share: a user, a dataset of each kind, and a look at storage."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Annotation, AnnotationKind, Item
from registry.services.datasets import dataset_create
from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="uploader")


@pytest.fixture
def class_dataset(user):
    return dataset_create(project=ProjectFactory(), name="pets", user=user, labels=["cat", "dog"])


@pytest.fixture
def box_dataset(user):
    return dataset_create(
        project=ProjectFactory(),
        name="parts",
        user=user,
        labels=["bolt"],
        annotation_kind=AnnotationKind.BOX,
    )


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(media: Path) -> list[str]:
    """Every file under the media folder, as paths relative to it."""
    if not media.exists():
        return []
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def counts() -> tuple[int, int]:
    return Item.objects.count(), Annotation.objects.count()
