"""The kept item counts (per subset, per label and subset) after every kind of write.

The grid reads SubsetItemCount and LabelItemCount instead of counting a million
items; database triggers keep them. Each test writes one way, then compares every
count the grid shows with a fresh COUNT.
"""

import json

import pytest
from django.db import connection
from django.db.models import Count

from data.models import AnnotatedItemCount, Annotation, Item, LabelItemCount, SubsetItemCount
from data.selectors import annotated_counts, items_count, labels_with_counts, subset_counts
from data.services import datasets as data_services
from data.services.labels import labels_ensure
from registry.models import Subset
from tests.factories import AnnotationFactory, ItemFactory, ModelVersionFactory
from tests.fixtures.service_rows import upload
from tests.images import png_bytes, zip_bytes

TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
}
# One per table and kind of write, on each database.
EXPECTED_TRIGGERS = {
    "sqlite": {
        "registry_item_count_insert",
        "registry_item_count_delete",
        "registry_item_count_update",
        "registry_annotation_count_insert",
        "registry_annotation_count_delete",
        "registry_annotation_count_update_old",
        "registry_annotation_count_update_new",
        "registry_annotated_item_delete",
        "registry_annotated_item_update",
        "registry_annotated_annotation_insert",
        "registry_annotated_annotation_delete",
        "registry_annotated_annotation_update_old",
        "registry_annotated_annotation_update_new",
    },
    "postgresql": {
        "registry_item_count_insert_delete",
        "registry_item_count_update",
        "registry_annotation_count_insert_delete",
        "registry_annotation_count_update",
        "registry_annotated_item_delete",
        "registry_annotated_item_update",
        "registry_annotated_annotation_insert",
        "registry_annotated_annotation_delete",
        "registry_annotated_annotation_update",
    },
}


def fresh_counts(dataset) -> dict:
    """Every count the grid shows, counted from the rows."""
    items = Item.objects.filter(dataset=dataset)
    by_subset = dict(items.values_list("subset").annotate(n=Count("id")).order_by())
    truth = Annotation.objects.filter(item__dataset=dataset, model__isnull=True)
    pairs = truth.values_list("label_id", "item__subset").annotate(n=Count("item", distinct=True))
    by_label_subset = {(label, subset): n for label, subset, n in pairs.order_by()}
    annotated = dict(
        truth.values_list("item__subset").annotate(n=Count("item", distinct=True)).order_by()
    )
    return {
        "subsets": {subset: by_subset.get(subset, 0) for subset in Subset.values},
        "annotated": {subset: annotated.get(subset, 0) for subset in Subset.values},
        "labels": {
            label.id: sum(n for (pk, _), n in by_label_subset.items() if pk == label.id)
            for label in dataset.labels.all()
        },
        "label_subsets": {
            (label.id, subset): by_label_subset.get((label.id, subset), 0)
            for label in dataset.labels.all()
            for subset in Subset.values
        },
    }


def kept_counts(dataset) -> dict:
    """The same, as the grid reads them."""
    labels = list(dataset.labels.all())
    return {
        "subsets": subset_counts(dataset),
        "annotated": annotated_counts(dataset.id),
        "labels": {label.id: label.item_count for label in labels_with_counts(dataset)},
        "label_subsets": {
            (label.id, subset): items_count(dataset, label.id, subset)
            for label in labels
            for subset in Subset.values
        },
    }


def assert_counts_fresh(dataset) -> None:
    assert kept_counts(dataset) == fresh_counts(dataset)
    assert items_count(dataset) == Item.objects.filter(dataset=dataset).count()


@pytest.fixture
def boxed(box_dataset, user):
    """Three items in a box dataset: two bolts on the first, a nut on the second."""
    labels_ensure(dataset=box_dataset, names=["nut"])
    items = data_services.items_upload_images(
        dataset=box_dataset,
        files=[upload(f"{name}.png", png_bytes(40, 30)) for name in "abc"],
        user=user,
        subset=Subset.TRAIN,
    )
    bolt, nut = box_dataset.labels.get(name="bolt"), box_dataset.labels.get(name="nut")
    for label, item in ((bolt, items[0]), (bolt, items[0]), (nut, items[1])):
        data_services.annotation_create(item=item, label=label, user=user, box=[1, 2, 5, 6])
    return box_dataset


def test_the_count_triggers_survive_every_migration(db):
    with connection.cursor() as cursor:
        cursor.execute(TRIGGERS[connection.vendor])
        names = {row[0] for row in cursor.fetchall()}
    # A later migration that rebuilds these tables (SQLite does, to alter a column)
    # drops their triggers: it must create them again.
    assert names >= EXPECTED_TRIGGERS[connection.vendor]


def test_an_upload_counts_its_items_in_their_subset(boxed):
    assert subset_counts(boxed) == {"train": 3, "validation": 0, "test": 0, "none": 0}
    assert {label.name: label.item_count for label in labels_with_counts(boxed)} == {
        "bolt": 1,
        "nut": 1,
    }
    assert_counts_fresh(boxed)


def test_a_zip_import_counts_items_and_labels(class_dataset, user):
    entries = {"cat/c1.png": png_bytes(), "cat/c2.png": png_bytes(), "fish/f1.png": png_bytes()}
    archive = upload("data.zip", zip_bytes(entries), "application/zip")
    data_services.items_import_zip(dataset=class_dataset, archive=archive, user=user)
    counts = {label.name: label.item_count for label in labels_with_counts(class_dataset)}
    assert counts == {"cat": 2, "dog": 0, "fish": 1}
    assert_counts_fresh(class_dataset)


def test_a_coco_import_counts_an_item_once_per_label_however_many_boxes(box_dataset, user):
    coco = {
        "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 5, "bbox": [1, 2, 10, 12]},
            {"id": 2, "image_id": 1, "category_id": 5, "bbox": [3, 2, 10, 12]},
        ],
        "categories": [{"id": 5, "name": "bolt"}],
    }
    coco_file = upload("coco.json", json.dumps(coco).encode(), "application/json")
    images = [upload("a.png", png_bytes(40, 30))]
    data_services.items_import_coco(
        dataset=box_dataset, coco_file=coco_file, images=images, user=user
    )
    assert [label.item_count for label in labels_with_counts(box_dataset)] == [1]
    assert_counts_fresh(box_dataset)


def test_a_split_moves_the_subset_and_label_counts(boxed):
    data_services.items_split(dataset=boxed, train=40, validation=30, test=30, seed=3)
    assert sum(subset_counts(boxed).values()) == 3
    assert_counts_fresh(boxed)


def test_assigning_a_subset_moves_the_item_and_its_labels(boxed):
    first = boxed.items.order_by("id").first()
    data_services.items_assign_subset(dataset=boxed, item_ids=[first.id], subset=Subset.TEST)
    bolt = boxed.labels.get(name="bolt")
    assert items_count(boxed, bolt.id, Subset.TEST) == 1
    assert items_count(boxed, bolt.id, Subset.TRAIN) == 0
    assert_counts_fresh(boxed)


def test_a_second_box_of_a_label_leaves_its_count_and_the_last_one_removed_lowers_it(boxed):
    bolt = boxed.labels.get(name="bolt")
    first, second = Annotation.objects.filter(label=bolt).order_by("id")
    data_services.annotation_delete(annotation=first)
    assert items_count(boxed, bolt.id) == 1
    data_services.annotation_delete(annotation=second)
    assert items_count(boxed, bolt.id) == 0
    assert_counts_fresh(boxed)


def test_relabelling_a_box_moves_the_count_to_the_new_label(boxed):
    bolt, nut = boxed.labels.get(name="bolt"), boxed.labels.get(name="nut")
    box = Annotation.objects.filter(item__name="b.png").get()
    data_services.annotation_update(annotation=box, label=bolt)
    assert (items_count(boxed, bolt.id), items_count(boxed, nut.id)) == (2, 0)
    assert_counts_fresh(boxed)


def test_predictions_are_not_counted(boxed, user):
    model = ModelVersionFactory(project=boxed.project)
    item, nut = boxed.items.get(name="c.png"), boxed.labels.get(name="nut")
    data_services.annotation_create(
        item=item, label=nut, user=user, box=[1, 1, 2, 2], model=model, confidence=0.5
    )
    assert items_count(boxed, nut.id) == 1
    assert_counts_fresh(boxed)


def test_deleting_an_item_removes_it_from_its_subset_and_labels(boxed):
    data_services.item_delete(item=boxed.items.get(name="a.png"))
    assert subset_counts(boxed)["train"] == 2
    assert items_count(boxed, boxed.labels.get(name="bolt").id) == 0
    assert_counts_fresh(boxed)


def test_bulk_deletes_and_updates_outside_the_services_keep_the_counts(boxed):
    Item.objects.filter(dataset=boxed, name="c.png").update(subset=Subset.VALIDATION)
    Annotation.objects.filter(item__name="a.png").delete()
    assert_counts_fresh(boxed)


def test_rows_made_by_factories_are_counted_too(boxed):
    item = ItemFactory(dataset=boxed, subset=Subset.TEST)
    AnnotationFactory(item=item, label=boxed.labels.get(name="nut"), kind="box")
    assert_counts_fresh(boxed)


def test_deleting_the_dataset_takes_its_counts_along(boxed):
    data_services.dataset_delete(dataset=boxed)
    assert not SubsetItemCount.objects.exists()
    assert not LabelItemCount.objects.exists()
    assert not AnnotatedItemCount.objects.exists()


def test_an_item_counts_as_annotated_once_however_many_boxes_it_has(boxed):
    assert annotated_counts(boxed.id)["train"] == 2  # a.png (two bolts) and b.png
    first, second = Annotation.objects.filter(item__name="a.png").order_by("id")
    data_services.annotation_delete(annotation=first)
    assert annotated_counts(boxed.id)["train"] == 2
    data_services.annotation_delete(annotation=second)
    assert annotated_counts(boxed.id)["train"] == 1
    assert_counts_fresh(boxed)


def test_ground_truth_moved_to_another_item_or_made_a_prediction_moves_the_count(boxed):
    unlabelled = boxed.items.get(name="c.png")
    Annotation.objects.filter(item__name="b.png").update(item=unlabelled)
    assert annotated_counts(boxed.id)["train"] == 2
    assert_counts_fresh(boxed)
    model = ModelVersionFactory(project=boxed.project)
    Annotation.objects.filter(item=unlabelled).update(model=model, confidence=0.9)
    assert annotated_counts(boxed.id)["train"] == 1
    assert_counts_fresh(boxed)
