"""Predict with… on the item grid and the item page, and the prediction layer the grid polls."""

import pytest

from data.models import Annotation, AnnotationKind
from jobs.models import Job, JobKind, JobStatus
from serving.models import Deployment, DeploymentState
from serving.views import predictions as prediction_views
from tests.factories import (
    AnnotationFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cast):
    return DatasetFactory(project=cast.project, name="digits")


@pytest.fixture
def items(dataset):
    return [ItemFactory(dataset=dataset, subset="test" if n < 3 else "train") for n in range(5)]


@pytest.fixture
def live_model(cast):
    model = ModelVersionFactory(project=cast.project, name="digits v1")
    Deployment.objects.create(project=cast.project, model=model, state=DeploymentState.READY)
    return model


def grid(dataset, path: str = "") -> str:
    return f"/projects/{dataset.project_id}/datasets/{dataset.id}/{path}"


def predict_job() -> Job:
    return Job.objects.get(kind=JobKind.PREDICT)


def test_the_selected_items_are_predicted_and_the_grid_polls_the_job(
    client, cast, dataset, items, live_model
):
    client.force_login(cast.developer)

    response = client.post(
        grid(dataset, "items/predict/"),
        {
            "model": live_model.id,
            "scope": "selected",
            "item": [items[0].id, items[2].id],
            "next": grid(dataset) + "?subset=test",
        },
    )

    job = predict_job()
    assert job.parameters["items"] == [items[0].id, items[2].id]
    assert (job.model, job.queue, job.status) == (live_model, "inference", JobStatus.QUEUED)
    assert response["Location"] == grid(dataset) + f"?subset=test&predict_job={job.id}"
    content = client.get(response["Location"]).content.decode()
    assert f"Predicting 2 items with digits v1 as job #{job.id}." in content
    assert f"&amp;job={job.id}" in content
    assert "every 1s" in content


def test_all_on_this_page_predicts_the_pages_items(client, cast, dataset, items, live_model):
    client.force_login(cast.developer)

    client.post(
        grid(dataset, "items/predict/"),
        {"model": live_model.id, "scope": "page", "page_items": [i.id for i in items[:4]]},
    )

    assert predict_job().parameters["items"] == [item.id for item in items[:4]]


def test_all_matching_the_filter_follows_the_grids_filter(client, cast, dataset, items, live_model):
    client.force_login(cast.developer)

    client.post(
        grid(dataset, "items/predict/"),
        {"model": live_model.id, "scope": "filter", "filter_subset": "train", "item": items[0].id},
    )

    assert predict_job().parameters["items"] == [items[3].id, items[4].id]


def test_all_matching_the_filter_is_capped_with_a_clear_message(
    client, cast, dataset, items, live_model, monkeypatch
):
    monkeypatch.setattr(prediction_views, "PREDICT_SELECTION_LIMIT", 2)
    client.force_login(cast.developer)

    response = client.post(
        grid(dataset, "items/predict/"), {"model": live_model.id, "scope": "filter"}, follow=True
    )

    assert predict_job().parameters["items"] == [items[0].id, items[1].id]
    assert "Only the first 2 of the 5 matching items are sent" in response.content.decode()


def test_the_label_filter_counts_only_that_labels_items(client, cast, dataset, items, live_model):
    label = LabelFactory(dataset=dataset, name="seven")
    AnnotationFactory(item=items[1], label=label)
    client.force_login(cast.developer)

    client.post(
        grid(dataset, "items/predict/"),
        {"model": live_model.id, "scope": "filter", "filter_label": label.id},
    )

    assert predict_job().parameters["items"] == [items[1].id]


def test_a_model_that_is_not_deployed_is_refused_with_the_reason(client, cast, dataset, items):
    model = ModelVersionFactory(project=cast.project, name="idle")
    client.force_login(cast.developer)

    response = client.post(
        grid(dataset, "items/predict/"),
        {"model": model.id, "item": items[0].id},
        follow=True,
    )

    assert not Job.objects.exists()
    assert "idle is not deployed: deploy it before predicting." in response.content.decode()


def test_no_selection_or_no_model_is_refused(client, cast, dataset, items, live_model):
    client.force_login(cast.developer)

    empty = client.post(grid(dataset, "items/predict/"), {"model": live_model.id}, follow=True)
    no_model = client.post(grid(dataset, "items/predict/"), {"item": items[0].id}, follow=True)

    assert not Job.objects.exists()
    assert "Select at least one item to predict on." in empty.content.decode()
    assert "Choose a deployed model to predict with." in no_model.content.decode()


def test_items_of_another_dataset_are_left_out(client, cast, dataset, items, live_model):
    foreign = ItemFactory(dataset=DatasetFactory(project=cast.other_project))
    client.force_login(cast.developer)

    client.post(
        grid(dataset, "items/predict/"), {"model": live_model.id, "item": [foreign.id, items[0].id]}
    )

    assert predict_job().parameters["items"] == [items[0].id]


def test_the_grid_offers_the_live_models_and_the_three_scopes(
    client, cast, dataset, items, live_model
):
    ModelVersionFactory(project=cast.project, name="not deployed")
    client.force_login(cast.developer)

    content = client.get(grid(dataset)).content.decode()

    assert f'<option value="{live_model.id}">digits v1</option>' in content
    assert "not deployed</option>" not in content
    assert ">Predict with…</button>" in content
    assert '<option value="page">all on this page</option>' in content
    assert '<option value="filter">all matching the filter (5)</option>' in content
    assert f'id="predictions-{items[0].id}"' in content


def test_the_item_page_predict_button_predicts_that_item(client, cast, dataset, items, live_model):
    client.force_login(cast.developer)
    item_url = grid(dataset, f"items/{items[1].id}/")

    page = client.get(item_url).content.decode()
    response = client.post(item_url + "predict/", {"model": live_model.id})

    job = predict_job()
    assert ">Predict with digits v1</button>" in page
    assert job.parameters["items"] == [items[1].id]
    assert response["Location"] == f"{item_url}?predict_job={job.id}"
    shown = client.get(response["Location"]).content.decode()
    assert f'hx-get="/projects/{cast.project.id}/jobs/{job.id}/progress/"' in shown


def test_the_layer_draws_predictions_with_model_and_confidence_while_the_job_runs(
    client, cast, dataset, items, live_model
):
    label = LabelFactory(dataset=dataset, name="seven")
    Annotation.objects.create(
        item=items[0], label=label, kind="class", model=live_model, confidence=0.93
    )
    job = Job.objects.create(
        project=cast.project, model=live_model, kind=JobKind.PREDICT, status=JobStatus.RUNNING
    )
    client.force_login(cast.viewer)

    response = client.get(
        grid(dataset, "predictions/"), {"items": f"{items[0].id},{items[1].id}", "job": job.id}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="prediction-layer" id="predictions-{items[0].id}" hx-swap-oob="true"' in (
        content
    )
    assert "seven · digits v1 0.93</span>" in content
    assert f'id="predictions-{items[1].id}" hx-swap-oob="true" data-count="0"' in content
    assert "running" in content


def test_the_layer_stops_the_polling_once_the_job_ended(client, cast, dataset, items, live_model):
    job = Job.objects.create(
        project=cast.project, model=live_model, kind=JobKind.PREDICT, status=JobStatus.SUCCEEDED
    )
    client.force_login(cast.viewer)

    response = client.get(grid(dataset, "predictions/"), {"items": items[0].id, "job": job.id})

    assert response.status_code == 286


def test_the_layer_draws_boxes_dashed_and_filters_by_model_and_confidence(client, cast, live_model):
    boxes = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.BOX)
    item = ItemFactory(dataset=boxes)
    label = LabelFactory(dataset=boxes, name="bolt")
    other = ModelVersionFactory(project=cast.project, name="other")
    for model, confidence in ((live_model, 0.9), (live_model, 0.2), (other, 0.8)):
        Annotation.objects.create(
            item=item,
            label=label,
            kind="box",
            x=1,
            y=2,
            w=3,
            h=4,
            model=model,
            confidence=confidence,
        )
    client.force_login(cast.viewer)

    def layer(**params):
        return client.get(
            grid(boxes, "predictions/"), {"items": item.id, **params}
        ).content.decode()

    assert layer().count('stroke-dasharray="4 3"') == 3
    only_one = layer(predictions=str(live_model.id), min_confidence="0.5")
    assert only_one.count("<rect") == 1
    assert "bolt · digits v1 0.90" in only_one
    hidden = layer(predictions="none")
    assert "<rect" not in hidden
    assert "Predictions hidden." in hidden


def test_the_layer_of_another_projects_dataset_is_404(client, cast, dataset, items):
    client.force_login(cast.outsider)

    assert client.get(grid(dataset, "predictions/"), {"items": items[0].id}).status_code == 404


def test_predictions_of_a_model_undeployed_since_can_still_be_shown_alone(
    client, cast, dataset, items, live_model
):
    retired = ModelVersionFactory(project=cast.project, name="retired v0")
    Deployment.objects.create(project=cast.project, model=retired, state=DeploymentState.STOPPED)
    ModelVersionFactory(project=cast.project, name="never deployed")
    client.force_login(cast.viewer)

    content = client.get(grid(dataset)).content.decode()
    start = content.index('id="show-predictions"')
    shown = content[start : content.index("</select>", start)]

    assert f'<option value="{retired.id}" >retired v0 only</option>' in shown
    assert f'<option value="{live_model.id}" >digits v1 only</option>' in shown
    assert "never deployed" not in shown
