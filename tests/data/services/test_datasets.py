import pytest
from django.core.exceptions import ValidationError

from data.models import AnnotationKind, Dataset, Item, Label
from data.services.datasets import dataset_create, dataset_delete, dataset_update
from data.services.labels import PALETTE, label_colors_next, labels_ensure, labels_summary
from tests.factories import AnnotationFactory, ItemFactory, ProjectFactory
from tests.fixtures.service_rows import stored_files, upload
from tests.images import png_bytes


def label_map(dataset: Dataset) -> list[tuple[str, str]]:
    return list(dataset.labels.order_by("position").values_list("name", "color"))


def test_it_creates_a_dataset_with_labels_in_order_and_palette_colours(user):
    dataset = dataset_create(
        project=ProjectFactory(), name="pets", user=user, labels=["cat", "dog", "bird"]
    )
    assert label_map(dataset) == [("cat", PALETTE[0]), ("dog", PALETTE[1]), ("bird", PALETTE[2])]
    assert dataset.annotation_kind == AnnotationKind.CLASS
    assert dataset.created_by == user


def test_given_colours_are_kept_and_generated_ones_avoid_them(user):
    labels = [{"name": "cat", "color": "#1F77B4"}, "dog"]
    dataset = dataset_create(project=ProjectFactory(), name="pets", user=user, labels=labels)
    assert label_map(dataset) == [("cat", "#1f77b4"), ("dog", PALETTE[1])]


def test_colours_stay_distinct_beyond_the_palette():
    colours = label_colors_next([], 60)
    assert len(set(colours)) == 60
    assert colours[: len(PALETTE)] == list(PALETTE)


@pytest.mark.parametrize(
    ("labels", "problem"),
    [
        (["cat", "cat"], "listed twice"),
        (["cat", "  "], "Label 2"),
        ([{"name": "cat", "color": "red"}], "#1f77b4"),
        ("cat,dog", "list"),
        ([42], "Label 1"),
    ],
)
def test_it_refuses_a_bad_label_map(user, labels, problem):
    with pytest.raises(ValidationError) as error:
        dataset_create(project=ProjectFactory(), name="pets", user=user, labels=labels)
    assert problem in str(error.value.message_dict["labels"])
    assert not Dataset.objects.exists()


def test_it_refuses_a_name_taken_in_the_project(class_dataset, user):
    with pytest.raises(ValidationError) as error:
        dataset_create(project=class_dataset.project, name="pets", user=user, labels=[])
    assert "already exists" in error.value.message_dict["name"][0]


def test_it_refuses_an_unknown_annotation_kind(user):
    with pytest.raises(ValidationError) as error:
        dataset_create(
            project=ProjectFactory(), name="x", user=user, labels=[], annotation_kind="polygon"
        )
    assert "annotation_kind" in error.value.message_dict


def test_update_renames_recolours_reorders_and_adds_labels(class_dataset):
    cat, dog = class_dataset.labels.order_by("position")
    dataset_update(
        dataset=class_dataset,
        name="animals",
        description="four legs",
        labels=[
            {"id": dog.id, "name": "puppy"},
            {"id": cat.id, "name": "cat", "color": "#000000"},
            "bird",
        ],
    )
    class_dataset.refresh_from_db()
    assert (class_dataset.name, class_dataset.description) == ("animals", "four legs")
    assert label_map(class_dataset) == [
        ("puppy", dog.color),
        ("cat", "#000000"),
        ("bird", PALETTE[0]),  # the first palette colour no label uses any more
    ]
    assert class_dataset.labels.get(name="puppy").id == dog.id


def test_update_can_swap_two_label_names(class_dataset):
    cat, dog = class_dataset.labels.order_by("position")
    labels = [{"id": cat.id, "name": "dog"}, {"id": dog.id, "name": "cat"}]
    dataset_update(dataset=class_dataset, labels=labels)
    assert class_dataset.labels.get(id=cat.id).name == "dog"
    assert class_dataset.labels.get(id=dog.id).name == "cat"


def test_update_removes_an_unused_label(class_dataset):
    dataset_update(dataset=class_dataset, labels=["cat"])
    assert label_map(class_dataset) == [("cat", PALETTE[0])]


def test_update_refuses_to_remove_a_label_in_use_and_names_it(class_dataset):
    dog = class_dataset.labels.get(name="dog")
    AnnotationFactory(item=ItemFactory(dataset=class_dataset), label=dog)
    with pytest.raises(ValidationError) as error:
        dataset_update(dataset=class_dataset, name="renamed", labels=["cat"])
    assert "'dog' is used by 1 annotation" in error.value.message_dict["labels"][0]
    class_dataset.refresh_from_db()
    assert class_dataset.name == "pets"
    assert class_dataset.labels.count() == 2


def test_update_refuses_a_label_id_of_another_dataset(class_dataset, box_dataset):
    bolt = box_dataset.labels.get()
    with pytest.raises(ValidationError) as error:
        dataset_update(dataset=class_dataset, labels=[{"id": bolt.id, "name": "bolt"}])
    assert f"Label id {bolt.id} is not in this dataset" in error.value.message_dict["labels"][0]


def test_labels_ensure_appends_missing_labels_after_the_map(class_dataset):
    labels, added = labels_ensure(dataset=class_dataset, names=["dog", "fish", "ant"])
    assert added == ["fish", "ant"]
    assert set(labels) == {"cat", "dog", "fish", "ant"}
    assert [name for name, _ in label_map(class_dataset)] == ["cat", "dog", "fish", "ant"]


def test_labels_summary_counts_ground_truth_per_label(class_dataset):
    cat = class_dataset.labels.get(name="cat")
    AnnotationFactory(item=ItemFactory(dataset=class_dataset), label=cat)
    summary = labels_summary(dataset=class_dataset)
    assert [(row["name"], row["count"]) for row in summary] == [("cat", 1), ("dog", 0)]


def test_delete_removes_rows_and_then_the_stored_images(
    class_dataset, user, media_in_tmp, django_capture_on_commit_callbacks
):
    from data.services.datasets import items_upload_images

    items_upload_images(dataset=class_dataset, files=[upload("a.png", png_bytes())], user=user)
    assert stored_files(media_in_tmp)
    with django_capture_on_commit_callbacks(execute=True):
        dataset_delete(dataset=class_dataset)
    assert not Dataset.objects.filter(name="pets").exists()
    assert not Item.objects.exists()
    assert not Label.objects.filter(name="cat").exists()
    assert stored_files(media_in_tmp) == []
