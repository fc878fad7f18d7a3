"""Accept predictions as ground truth: one on the item page, or those on the grid's selection."""

import pytest

from data.models import Annotation
from tests.factories import DatasetFactory, ItemFactory, LabelFactory, ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    return DatasetFactory(project=cast.project, name="digits")


@pytest.fixture
def label(dataset):
    return LabelFactory(dataset=dataset, name="seven")


@pytest.fixture
def models(cast):
    return ModelVersionFactory(project=cast.project, name="v1"), ModelVersionFactory(
        project=cast.project, name="v2"
    )


def predict(item, label, model, confidence=0.9) -> Annotation:
    return Annotation.objects.create(
        item=item, label=label, kind="class", model=model, confidence=confidence
    )


def accept_url(dataset) -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/predictions/accept/"


def test_an_annotator_accepts_one_prediction_from_the_item_page(
    client, cast, dataset, label, models
):
    item = ItemFactory(dataset=dataset)
    prediction = predict(item, label, models[0])
    client.force_login(cast.annotator)
    item_url = f"/projects/{cast.project.id}/datasets/{dataset.id}/items/{item.id}/"

    page = client.get(item_url).content.decode()
    response = client.post(
        accept_url(dataset), {"annotation": prediction.id, "next": item_url}, follow=True
    )

    assert 'aria-label="Accept the prediction seven by v1">Accept</button>' in page
    prediction.refresh_from_db()
    assert prediction.model is None
    assert prediction.accepted_from == models[0]
    assert prediction.accepted_by == cast.annotator
    assert prediction.accepted_at is not None
    content = response.content.decode()
    assert "1 prediction accepted as ground truth." in content
    assert "(accepted by annotator)" in content


def test_the_selection_accepts_the_predictions_of_the_shown_model_only(
    client, cast, dataset, label, models
):
    first, second, unselected = (ItemFactory(dataset=dataset) for _ in range(3))
    kept = [predict(first, label, models[0]), predict(second, label, models[0])]
    other_model = predict(first, label, models[1])
    not_selected = predict(unselected, label, models[0])
    client.force_login(cast.annotator)

    response = client.post(
        accept_url(dataset),
        {"item": [first.id, second.id], "accept_model": models[0].id},
        follow=True,
    )

    accepted = set(
        Annotation.objects.filter(accepted_by=cast.annotator).values_list("id", flat=True)
    )
    assert accepted == {one.id for one in kept}
    assert Annotation.objects.get(pk=other_model.id).model == models[1]
    assert Annotation.objects.get(pk=not_selected.id).model == models[0]
    assert "2 predictions accepted as ground truth." in response.content.decode()


def test_without_a_model_every_prediction_on_the_selection_is_accepted(
    client, cast, dataset, label, models
):
    item = ItemFactory(dataset=dataset)
    predict(item, label, models[0])
    predict(item, label, models[1])
    client.force_login(cast.developer)

    client.post(accept_url(dataset), {"item": item.id})

    assert not Annotation.objects.filter(model__isnull=False).exists()


def test_a_selection_without_predictions_says_so(client, cast, dataset):
    item = ItemFactory(dataset=dataset)
    client.force_login(cast.annotator)

    response = client.post(accept_url(dataset), {"item": item.id}, follow=True)

    assert "No prediction to accept in the selection." in response.content.decode()


def test_predictions_of_another_dataset_are_not_accepted_through_this_one(
    client, cast, dataset, models
):
    elsewhere = DatasetFactory(project=cast.project, name="elsewhere")
    prediction = predict(ItemFactory(dataset=elsewhere), LabelFactory(dataset=elsewhere), models[0])
    client.force_login(cast.annotator)

    client.post(accept_url(dataset), {"annotation": prediction.id})

    assert Annotation.objects.get(pk=prediction.id).model == models[0]


def test_a_viewer_sees_no_accept_button_and_cannot_accept(client, cast, dataset, label, models):
    item = ItemFactory(dataset=dataset)
    prediction = predict(item, label, models[0])
    client.force_login(cast.viewer)

    page = client.get(f"/projects/{cast.project.id}/datasets/{dataset.id}/items/{item.id}/")
    response = client.post(accept_url(dataset), {"annotation": prediction.id})

    assert ">Accept</button>" not in page.content.decode()
    assert response.status_code == 403
    assert Annotation.objects.get(pk=prediction.id).model == models[0]


def test_an_outsider_gets_404(client, cast, dataset, label, models):
    prediction = predict(ItemFactory(dataset=dataset), label, models[0])
    client.force_login(cast.outsider)

    assert client.post(accept_url(dataset), {"annotation": prediction.id}).status_code == 404
