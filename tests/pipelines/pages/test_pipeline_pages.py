"""The pipelines list, the create and edit form, and escaping of what users type."""

import pytest
from django.urls import reverse

from pipelines.models import Pipeline
from pipelines.services import pipelines as services
from pipelines.services.steps import pipeline_advance
from registry.models import ModelStatus
from tests.factories import (
    AnnotationFactory,
    ArtifactFactory,
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
)

pytestmark = pytest.mark.django_db


def build_champion(project, user, name: str = "cat v1"):
    """A trained version of `project` with weights, on a small annotated cat dataset."""
    dataset = DatasetFactory(project=project, name=f"{name} cats")
    label = LabelFactory(dataset=dataset, name="cat")
    for subset in ["train", "train", "test", "validation"]:
        AnnotationFactory(item=ItemFactory(dataset=dataset, subset=subset), label=label)
    model = ModelVersionFactory(
        project=project, dataset=dataset, name=name, status=ModelStatus.TRAINED, created_by=user
    )
    ArtifactFactory(model=model)
    return model


def make_pipeline(champion, **fields) -> Pipeline:
    fields = {"name": "nightly", "dataset": champion.dataset, "champion": champion, **fields}
    return services.pipeline_create(project=champion.project, user=champion.created_by, **fields)


def form_data(model, **changes) -> dict:
    return {
        "name": "nightly",
        "dataset": model.dataset_id,
        "champion": model.id,
        "overrides": '{"epochs": 2}',
        "trigger": "manual",
        "new_items_threshold": "",
        "schedule": "",
        "metric": "accuracy",
        "higher_is_better": "on",
        "min_improvement": "0.01",
        "max_label_regression": "",
        "auto_promote": "on",
        **changes,
    }


@pytest.fixture
def champion(cast):
    return build_champion(cast.project, cast.developer)


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def list_url(project) -> str:
    return reverse("pipelines:pipeline_list", args=[project.id])


def create_url(project) -> str:
    return reverse("pipelines:pipeline_create", args=[project.id])


def edit_url(pipeline) -> str:
    return reverse("pipelines:pipeline_edit", args=[pipeline.project_id, pipeline.id])


# --- The list ------------------------------------------------------------------------


def test_the_project_subnav_links_to_the_pipelines(dev, cast):
    html = dev.get(list_url(cast.project)).content.decode()
    assert f'<a href="{list_url(cast.project)}" aria-current="page">Pipelines</a>' in html


def test_an_empty_list_explains_what_a_pipeline_does(dev, cast):
    html = dev.get(list_url(cast.project)).content.decode()
    assert "No pipelines in Acme yet" in html
    assert "promotes the challenger only when it beats the champion" in html
    assert "Create the first pipeline" in html


def test_the_list_says_each_trigger_and_rule_in_words(dev, champion):
    make_pipeline(
        champion,
        trigger="new_items",
        new_items_threshold=200,
        min_improvement=0.01,
        max_label_regression=0.05,
    )
    make_pipeline(champion, name="nightly cron", trigger="schedule", schedule="0 3 * * *")
    make_pipeline(champion, name="by hand", higher_is_better=False)

    html = dev.get(list_url(champion.project)).content.decode()

    assert "every 200 new annotated train items" in html
    assert "accuracy, higher is better, by at least +0.01; no label may drop more than 0.05" in html
    assert "cron 0 3 * * *" in html
    assert "manual only" in html
    assert "accuracy, lower is better, by any margin" in html
    assert f'href="/projects/{champion.project_id}/models/{champion.id}/">cat v1</a>' in html
    assert "cat v1 cats" in html


def test_the_list_shows_the_last_run_and_a_paused_badge(dev, champion):
    pipeline = services.pipeline_pause(pipeline=make_pipeline(champion))
    services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=champion.created_by)
    make_pipeline(champion, name="idle")

    html = dev.get(list_url(champion.project)).content.decode()

    assert '<span class="badge pipeline-paused">paused</span>' in html
    assert '<span class="badge run-queued">Queued</span>' in html
    assert "never run" in html


def test_a_viewer_reads_the_list_without_a_new_pipeline_button(client, cast, champion):
    make_pipeline(champion)
    client.force_login(cast.viewer)

    html = client.get(list_url(cast.project)).content.decode()

    assert "nightly" in html
    assert "New pipeline" not in html


def test_the_list_runs_the_same_queries_for_one_or_many_pipelines(
    dev, champion, django_assert_max_num_queries
):
    make_pipeline(champion)
    dev.get(list_url(champion.project))
    for number in range(5):
        make_pipeline(champion, name=f"more {number}")
    with django_assert_max_num_queries(6):
        dev.get(list_url(champion.project))


# --- Create --------------------------------------------------------------------------


def test_the_form_offers_the_projects_datasets_and_its_own_versions_only(
    dev, cast, champion, public_model, other_model
):
    html = dev.get(create_url(cast.project)).content.decode()

    assert f">cat v1 ({champion.package.name}, trained)</option>" in html
    assert ">cat v1 cats</option>" in html
    assert "pretrained" not in html
    assert "theirs" not in html
    assert 'placeholder="0 3 * * *"' in html
    assert '<option value="macro_f1">' in html
    assert '<option value="mAP">' in html


def test_a_developer_creates_a_pipeline_and_lands_on_its_page(dev, cast, champion):
    response = dev.post(create_url(cast.project), form_data(champion, max_label_regression="0.05"))

    pipeline = Pipeline.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{cast.project.id}/pipelines/{pipeline.id}/"
    assert (pipeline.champion, pipeline.dataset) == (champion, champion.dataset)
    assert pipeline.overrides == {"epochs": 2}
    assert (pipeline.min_improvement, pipeline.max_label_regression) == (0.01, 0.05)
    assert pipeline.created_by == cast.developer
    page = dev.get(response["Location"]).content.decode()
    assert "Pipeline nightly created." in page


def test_a_scheduled_pipeline_keeps_its_cron_line(dev, cast, champion):
    data = form_data(champion, trigger="schedule", schedule="0 3 * * *")

    dev.post(create_url(cast.project), data)

    assert Pipeline.objects.get().schedule == "0 3 * * *"


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"overrides": "[1, 2]"}, "overrides", "This must be a JSON object"),
        ({"overrides": '{"epochs": '}, "overrides", "This is not valid JSON"),
        ({"trigger": "new_items", "new_items_threshold": "0"}, "new_items_threshold", "1"),
        ({"trigger": "new_items"}, "new_items_threshold", "Say after how many new items"),
        ({"trigger": "schedule", "schedule": "0 3 * *"}, "schedule", "5 fields"),
        ({"trigger": "hourly"}, "trigger", "Select a valid choice"),
        ({"metric": " "}, "metric", "This field is required"),
        ({"max_label_regression": "-1"}, "max_label_regression", "greater than or equal to 0"),
    ],
)
def test_a_bad_value_is_refused_under_its_field_and_nothing_is_written(
    dev, cast, champion, changes, field, says
):
    response = dev.post(create_url(cast.project), form_data(champion, **changes))

    assert response.status_code == 400
    errors = response.content.decode().split(f'id="id_{field}_errors"')[1].split("</ul>")[0]
    assert says in errors
    assert not Pipeline.objects.exists()


def test_a_duplicate_name_is_refused_under_the_name(dev, cast, champion):
    make_pipeline(champion)

    response = dev.post(create_url(cast.project), form_data(champion))

    assert response.status_code == 400
    assert "A pipeline named &#x27;nightly&#x27; already exists." in response.content.decode()
    assert 'id="id_name_errors"' in response.content.decode()
    assert Pipeline.objects.count() == 1


def test_a_champion_that_cannot_read_the_dataset_is_refused_under_the_champion(dev, cast, champion):
    boxes = DatasetFactory(project=cast.project, name="boxes", annotation_kind="box")

    response = dev.post(create_url(cast.project), form_data(champion, dataset=boxes.id))

    assert response.status_code == 400
    assert "does not predict what boxes holds" in response.content.decode()
    assert 'id="id_champion_errors"' in response.content.decode()
    assert not Pipeline.objects.exists()


def test_another_projects_version_is_not_a_choice(dev, cast, champion, other_model):
    response = dev.post(create_url(cast.project), form_data(champion, champion=other_model.id))

    assert response.status_code == 400
    assert 'id="id_champion_errors"' in response.content.decode()
    assert not Pipeline.objects.exists()


# --- Edit ----------------------------------------------------------------------------


def test_the_edit_form_shows_the_current_settings(dev, champion):
    pipeline = make_pipeline(champion, overrides={"epochs": 3}, min_improvement=0.02)

    html = dev.get(edit_url(pipeline)).content.decode()

    assert 'value="nightly"' in html
    assert "&quot;epochs&quot;: 3" in html
    assert 'value="0.02"' in html
    assert f'<option value="{champion.id}" selected>' in html


def test_an_edit_saves_the_settings_and_says_so(dev, champion):
    pipeline = make_pipeline(champion)
    data = form_data(champion, name="weekly", trigger="schedule", schedule="0 4 * * 1")
    data.pop("auto_promote")

    response = dev.post(edit_url(pipeline), data, follow=True)

    pipeline.refresh_from_db()
    assert (pipeline.name, pipeline.schedule) == ("weekly", "0 4 * * 1")
    assert pipeline.auto_promote is False
    assert "Pipeline weekly saved." in response.content.decode()


def test_a_refused_edit_changes_nothing(dev, champion):
    make_pipeline(champion, name="taken")
    pipeline = make_pipeline(champion)

    response = dev.post(edit_url(pipeline), form_data(champion, name="taken", metric="macro_f1"))

    assert response.status_code == 400
    assert "<h1>Edit nightly</h1>" in response.content.decode()
    pipeline.refresh_from_db()
    assert (pipeline.name, pipeline.metric) == ("nightly", "accuracy")


# --- Escaping ------------------------------------------------------------------------


def test_what_users_type_is_shown_as_text_everywhere(dev, cast, champion):
    data = form_data(
        champion, name="<script>x</script>", overrides='{"note": "<b>b</b>"}', metric="<i>m</i>"
    )
    response = dev.post(create_url(cast.project), data, follow=True)
    pipeline = Pipeline.objects.get()
    run = services.pipeline_trigger(pipeline=pipeline, trigger="manual", user=cast.developer)
    pipeline_advance(run_id=run.id)  # the clone step's message names the pipeline

    pages = [
        response.content.decode(),
        dev.get(list_url(cast.project)).content.decode(),
        dev.get(edit_url(pipeline)).content.decode(),
        dev.get(reverse("pipelines:pipeline_runs", args=[cast.project.id, pipeline.id])),
    ]
    pages[-1] = pages[-1].content.decode()

    for html in pages:
        assert "<script>x</script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html
        assert "<b>b</b>" not in html
        assert "<i>m</i>" not in html
    assert "&lt;i&gt;m&lt;/i&gt;, higher is better" in pages[1]
