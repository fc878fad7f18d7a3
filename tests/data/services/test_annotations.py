import pytest
from django.core.exceptions import ValidationError

from data.models import Annotation
from data.services.datasets import annotation_create, annotation_delete, annotation_update
from tests.factories import ItemFactory, LabelFactory, ModelVersionFactory


@pytest.fixture
def box_item(box_dataset):
    return ItemFactory(dataset=box_dataset, width=40, height=30)


def test_it_creates_a_box_inside_the_image(box_item, box_dataset, user):
    bolt = box_dataset.labels.get()
    annotation = annotation_create(item=box_item, label=bolt, box=[1, 2, 30, 28], user=user)
    assert (annotation.kind, annotation.box) == ("box", [1.0, 2.0, 30.0, 28.0])
    assert annotation.created_by == user
    assert annotation.model is None


def test_it_refuses_a_box_outside_the_image(box_item, box_dataset, user):
    with pytest.raises(ValidationError) as error:
        annotation_create(
            item=box_item, label=box_dataset.labels.get(), box=[20, 0, 21, 5], user=user
        )
    assert "outside the 40×30 image" in error.value.message_dict["box"][0]
    assert not Annotation.objects.exists()


def test_it_refuses_a_label_of_another_dataset(box_item, class_dataset, user):
    cat = class_dataset.labels.get(name="cat")
    with pytest.raises(ValidationError) as error:
        annotation_create(item=box_item, label=cat, box=[0, 0, 1, 1], user=user)
    assert "not in this dataset" in error.value.message_dict["label"][0]


def test_it_refuses_a_kind_other_than_the_datasets(box_item, box_dataset, user):
    with pytest.raises(ValidationError) as error:
        annotation_create(item=box_item, label=box_dataset.labels.get(), kind="class", user=user)
    assert "holds box annotations" in error.value.message_dict["kind"][0]


def test_a_class_annotation_has_no_box_and_only_one_per_item(class_dataset, user):
    item = ItemFactory(dataset=class_dataset)
    cat, dog = class_dataset.labels.all()
    annotation_create(item=item, label=cat, user=user)
    with pytest.raises(ValidationError) as error:
        annotation_create(item=item, label=dog, user=user)
    assert "already has a class label" in error.value.message_dict["label"][0]
    with pytest.raises(ValidationError):
        annotation_create(item=ItemFactory(dataset=class_dataset), label=cat, box=[0, 0, 1, 1])


def test_a_prediction_keeps_its_model_and_confidence(box_item, box_dataset):
    model = ModelVersionFactory(project=box_dataset.project)
    annotation = annotation_create(
        item=box_item, label=box_dataset.labels.get(), box=[0, 0, 4, 4], model=model, confidence=0.8
    )
    assert annotation.is_prediction
    assert annotation.confidence == 0.8


def test_a_prediction_of_another_projects_model_is_refused(box_item, box_dataset):
    with pytest.raises(ValidationError) as error:
        annotation_create(
            item=box_item,
            label=box_dataset.labels.get(),
            box=[0, 0, 4, 4],
            model=ModelVersionFactory(),
        )
    assert "model" in error.value.message_dict


def test_update_moves_the_box_and_changes_the_label(box_item, box_dataset, user):
    nut = LabelFactory(dataset=box_dataset, name="nut")
    annotation = annotation_create(
        item=box_item, label=box_dataset.labels.get(name="bolt"), box=[0, 0, 4, 4]
    )
    annotation_update(annotation=annotation, label=nut, box=[10, 10, 5, 5])
    annotation.refresh_from_db()
    assert (annotation.label, annotation.box) == (nut, [10.0, 10.0, 5.0, 5.0])
    with pytest.raises(ValidationError):
        annotation_update(annotation=annotation, box=[39, 0, 5, 5])


def test_delete_removes_the_annotation(box_item, box_dataset):
    annotation = annotation_create(item=box_item, label=box_dataset.labels.get(), box=[0, 0, 4, 4])
    annotation_delete(annotation=annotation)
    assert not Annotation.objects.exists()
