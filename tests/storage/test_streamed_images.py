"""A worker's subset reads its images from the S3 bucket on demand, through a bounded cache."""

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from tests.factories import AnnotationFactory, DatasetFactory, ItemFactory, LabelFactory
from tests.s3 import BUCKET
from worker import streams
from worker.data import subset_data

pytestmark = pytest.mark.django_db


def png(colour) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="x.png")


@pytest.fixture
def cache_in_tmp(settings, tmp_path, monkeypatch):
    settings.WORKER_CACHE_DIR = tmp_path / "cache"
    monkeypatch.setattr(streams, "_caches", {})
    return tmp_path / "cache" / "images"


def test_an_image_is_read_from_the_bucket_once_then_from_the_cache(s3_storage, cache_in_tmp):
    dataset = DatasetFactory()
    label = LabelFactory(dataset=dataset, name="red")
    item = ItemFactory(dataset=dataset, subset="train", file=png((200, 10, 10)))
    AnnotationFactory(item=item, label=label)

    subset = subset_data(dataset, "train", ["red"])
    first = subset.images[0]
    s3_storage.delete_object(Bucket=BUCKET, Key=item.file.name)
    again = subset[0]

    assert first.shape == (10, 20, 3)
    assert (first[0, 0] == [200, 10, 10]).all()
    assert np.array_equal(again[0], first)
    assert again[1] == [{"label": "red"}]
    assert len(list(cache_in_tmp.iterdir())) == 1


def test_the_cache_keeps_within_its_budget_dropping_the_least_recently_used(s3_storage, tmp_path):
    storage = storages["default"]
    names = [storage.save(f"cache-test/{n}.png", png((100, 0, 0))) for n in range(5)]
    size = storage.size(names[0])
    cache = streams.ImageCache(tmp_path / "bounded", budget_bytes=3 * size)

    for name in names[:3]:
        cache.fetch(storage, name)
    cache.fetch(storage, names[0])  # used again: the newest now
    for name in names[3:]:
        cache.fetch(storage, name)

    kept = sorted(path.name for path in (tmp_path / "bounded").iterdir())
    assert sum(path.stat().st_size for path in (tmp_path / "bounded").iterdir()) <= 3 * size
    assert "cache-test__4.png" in kept
    assert "cache-test__0.png" in kept  # used again, so kept over 1 and 2
    assert "cache-test__1.png" not in kept


def test_a_subset_of_streamed_images_pickles_as_its_names(s3_storage, cache_in_tmp):
    import pickle

    images = streams.StoredImages(["a/1.png", "a/2.png"])

    copied = pickle.loads(pickle.dumps(images))

    assert copied.paths == ["a/1.png", "a/2.png"]
    assert len(copied[1:]) == 1
