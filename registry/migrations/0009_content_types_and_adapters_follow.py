"""What still names the old homes of the moved models and modules follows them.

- Content types: the admin's history and the permissions point at a model by its
  (app, model) row; the rows of the moved models are renamed, not recreated, so
  they keep their ids and what refers to them.
- The built-in packages' adapters moved from registry/adapters/ to
  worker/adapters/: their `module:Class` paths follow.
Both run backwards too.
"""

from django.db import migrations

MOVED = {
    "data": ("registry", ["dataset", "label", "item", "annotation", "subsetitemcount",
                          "labelitemcount", "annotateditemcount"]),
    "jobs": ("registry", ["job", "workerheartbeat"]),
    "serving": ("registry", ["deployment"]),
    "pipelines": ("registry", ["pipeline", "pipelinerun", "pipelinestep"]),
    "evaluation": ("comparison", ["evaluation", "evalgroundtruth", "evalprediction",
                                  "evalcountgrid", "reviewmark"]),
}  # fmt: skip
OLD_ADAPTERS, NEW_ADAPTERS = "registry.adapters.", "worker.adapters."


def _move_content_types(apps, forwards: bool) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for new_app, (old_app, names) in MOVED.items():
        source, target = (old_app, new_app) if forwards else (new_app, old_app)
        for name in names:
            # A row already at the target (made by an earlier start) keeps its place.
            if not content_type.objects.filter(app_label=target, model=name).exists():
                content_type.objects.filter(app_label=source, model=name).update(
                    app_label=target
                )


def _move_adapters(apps, old: str, new: str) -> None:
    package = apps.get_model("registry", "Package")
    for row in package.objects.filter(adapter__startswith=old):
        row.adapter = new + row.adapter[len(old) :]
        row.save(update_fields=["adapter"])


def forwards(apps, schema_editor) -> None:
    _move_content_types(apps, forwards=True)
    _move_adapters(apps, OLD_ADAPTERS, NEW_ADAPTERS)


def backwards(apps, schema_editor) -> None:
    _move_content_types(apps, forwards=False)
    _move_adapters(apps, NEW_ADAPTERS, OLD_ADAPTERS)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0008_models_move_to_their_apps"),
        ("comparison", "0010_evaluations_move_to_their_app"),
        ("data", "0001_initial"),
        ("jobs", "0001_initial"),
        ("serving", "0001_initial"),
        ("pipelines", "0001_initial"),
        ("evaluation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
