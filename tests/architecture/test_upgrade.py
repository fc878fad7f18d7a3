"""An installation made before the domains had their own apps upgrades without losing a row.

The models moved with state-only migrations, keeping their tables; this walks a
database back to the last migrations before the move, writes rows there with the
models as they were (registry.Dataset, comparison.Evaluation ...), migrates forward
and reads the same rows through the models where they live now.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from data.models import Dataset, Item, SubsetItemCount
from evaluation.models import Evaluation
from jobs.models import Job
from registry.models import Package

BEFORE_THE_MOVE = [
    ("registry", "0007_pipeline_champion_restrict"),
    ("comparison", "0008_metric_previews"),
    *((app, None) for app in ("data", "jobs", "evaluation", "serving", "pipelines", "tracking")),
]
OLD_ADAPTER = "registry.adapters.digits_mlp:DigitsMLPAdapter"


def migrate(targets) -> object:
    """Migrate to `targets`; the models as they are there, the other apps' as they are now."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    named = {app for app, _ in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in named]
    state = [target for target in targets if target[1] is not None] + others
    return executor.loader.project_state(state).apps


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def rows_made_before_the_move(apps) -> dict:
    user = apps.get_model("auth", "User").objects.create(username="before")
    project = apps.get_model("registry", "Project").objects.create(name="Old", created_by=user)
    package = apps.get_model("registry", "Package").objects.create(
        name="digits-mlp", adapter=OLD_ADAPTER
    )
    dataset = apps.get_model("registry", "Dataset").objects.create(project=project, name="old")
    item = apps.get_model("registry", "Item").objects.create(
        dataset=dataset, name="a.png", file="a.png", width=8, height=8, subset="train"
    )
    model = apps.get_model("registry", "ModelVersion").objects.create(
        project=project, package=package, name="v1", dataset=dataset
    )
    job = apps.get_model("registry", "Job").objects.create(project=project, model=model)
    evaluation = apps.get_model("comparison", "Evaluation").objects.create(
        project=project, model=model, dataset=dataset, name="before", kind="class"
    )
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="registry", model="dataset"
    )[0]
    return {
        "dataset": dataset.id,
        "item": item.id,
        "job": job.id,
        "evaluation": evaluation.id,
        "package": package.id,
        "content_type": content_type.id,
    }


@pytest.mark.django_db(transaction=True)
def test_the_rows_from_before_the_move_are_read_where_the_models_live_now():
    try:
        made = rows_made_before_the_move(migrate(BEFORE_THE_MOVE))
    finally:
        migrate(latest())

    dataset = Dataset.objects.get(pk=made["dataset"])
    assert dataset.name == "old"
    assert Item.objects.get(pk=made["item"]).dataset == dataset
    assert Job.objects.get(pk=made["job"]).model.dataset == dataset
    assert Evaluation.objects.get(pk=made["evaluation"]).dataset == dataset
    assert Package.objects.get(pk=made["package"]).adapter == (
        "worker.adapters.digits_mlp:DigitsMLPAdapter"
    )
    assert ContentType.objects.get(pk=made["content_type"]).app_label == "data"
    # The triggers that keep the counts were on the tables, and the tables stayed.
    Item.objects.filter(pk=made["item"]).update(subset="test")
    counts = SubsetItemCount.objects.filter(dataset_id=made["dataset"])
    assert dict(counts.values_list("subset", "items")) == {"train": 0, "test": 1}


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_the_content_types_and_adapters_where_they_were():
    try:
        made = rows_made_before_the_move(migrate(BEFORE_THE_MOVE))
        migrate(latest())
        apps = migrate(BEFORE_THE_MOVE)
        package = apps.get_model("registry", "Package").objects.get(pk=made["package"])
        content_type = apps.get_model("contenttypes", "ContentType").objects.get(
            pk=made["content_type"]
        )
    finally:
        migrate(latest())

    assert package.adapter == OLD_ADAPTER
    assert (content_type.app_label, content_type.model) == ("registry", "dataset")
