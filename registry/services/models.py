"""Writes on model versions: create, edit, clone, delete, status, tags."""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from core.names import name_checked
from registry.models import (
    DEFAULT_QUEUE,
    ModelStatus,
    ModelTag,
    ModelVersion,
    Package,
    Project,
    StatusChange,
)
from registry.services.artifacts import artifact_copy, artifact_delete

# A version's dataset is a data.Dataset, typed here as a plain Model: the data app builds
# on this one, so this one does not import it.
# A model in one of these states has work running on it or a live service.
BUSY_STATUSES = {ModelStatus.QUEUED, ModelStatus.TRAINING, ModelStatus.DEPLOYED}
EDITABLE_FIELDS = (
    "name",
    "description",
    "configuration",
    "queue",
    "labels",
    "dataset",
    "train_subset",
    "validation_subset",
    "test_subset",
)


def merge_configuration(base: dict, overrides: dict) -> dict:
    """`overrides` deep-merged over `base`: nested dicts merge, other values replace."""
    merged = copy.deepcopy(base)
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_configuration(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@transaction.atomic
def model_create(
    *,
    project: Project,
    package: Package,
    name: str,
    user,
    description: str = "",
    configuration: dict | None = None,
    labels: list[str] | None = None,
    dataset: Model | None = None,
    tags: list[str] | None = None,
    status: str = ModelStatus.CREATED,
    merge_package_defaults: bool = True,
    queue: str = DEFAULT_QUEUE,
    **subsets: str,
) -> ModelVersion:
    """A new version; `configuration` overrides the package defaults unless told otherwise."""
    _check_package_usable(package, project)
    if merge_package_defaults:
        configuration = merge_configuration(package.default_configuration, configuration or {})
    _check_dataset_in_project(dataset, project)
    name = _checked_name(project, name)
    model = ModelVersion.objects.create(
        project=project,
        package=package,
        name=name,
        description=description,
        configuration=configuration or {},
        labels=_checked_labels(labels, dataset),
        dataset=dataset,
        status=status,
        created_by=user,
        queue=queue,
        **subsets,
    )
    StatusChange.objects.create(model=model, to_status=status, changed_by=user, reason="created")
    model_set_tags(model=model, tags=tags or [])
    return model


@transaction.atomic
def model_update(
    *, model: ModelVersion, user, tags: list[str] | None = None, **fields
) -> ModelVersion:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    if "name" in fields and fields["name"] != model.name:
        fields["name"] = _checked_name(model.project, fields["name"], exclude=model)
    if "dataset" in fields:
        _check_dataset_in_project(fields["dataset"], model.project)
    if "labels" in fields:
        fields["labels"] = _checked_labels(fields["labels"], fields.get("dataset", model.dataset))
    for field, value in fields.items():
        setattr(model, field, value)
    model.save()
    if tags is not None:
        model_set_tags(model=model, tags=tags)
    return model


@transaction.atomic
def model_clone(
    *,
    source: ModelVersion,
    name: str,
    user,
    project: Project | None = None,
    configuration: dict | None = None,
    dataset: Model | None = None,
    description: str | None = None,
) -> ModelVersion:
    """A new version whose parent is `source`; its artifacts are shared, not copied."""
    project = project or source.project
    if project is None:
        raise ValidationError({"project_id": "Say which project the clone goes into."})
    if dataset is None and source.project_id == project.id:
        dataset = source.dataset
    clone = model_create(
        project=project,
        package=source.package,
        name=name,
        user=user,
        description=source.description if description is None else description,
        # The parent's configuration is complete already: package defaults it dropped stay dropped.
        configuration=merge_configuration(source.configuration, configuration or {}),
        merge_package_defaults=False,
        labels=list(source.labels) if dataset is None or dataset == source.dataset else None,
        dataset=dataset,
        tags=list(source.tags.values_list("name", flat=True)),
        train_subset=source.train_subset,
        validation_subset=source.validation_subset,
        test_subset=source.test_subset,
        queue=source.queue,
    )
    clone.parent = source
    clone.save(update_fields=["parent"])
    for artifact in source.artifacts.all():
        artifact_copy(artifact=artifact, model=clone, user=user)
    return clone


def model_delete_summary(*, model: ModelVersion) -> dict:
    """What goes with a model when it is deleted, for the confirmation."""
    artifacts = list(model.artifacts.values_list("size", flat=True))
    return {
        "artifacts": len(artifacts),
        "artifact_bytes": sum(artifacts),
        "predictions": model.predictions.count(),
        "status_changes": model.status_changes.count(),
        "children": list(model.children.order_by("name").values_list("name", flat=True)),
        "new_parent": model.parent.name if model.parent else None,
    }


@transaction.atomic
def model_delete(*, model: ModelVersion) -> None:
    """Delete a model; its children are re-parented to its own parent."""
    if model.status in BUSY_STATUSES:
        raise ValidationError(
            {"status": f"The model is {model.status}; stop that before deleting it."}
        )
    _refuse_if_champion(model)
    model.children.update(parent=model.parent)
    for artifact in list(model.artifacts.all()):
        artifact_delete(artifact=artifact)
    model.delete()


def _refuse_if_champion(model: ModelVersion) -> None:
    pipelines = list(model.champion_of.order_by("name").values_list("name", flat=True))
    if pipelines:
        names = ", ".join(pipelines)
        message = f"It is the champion of the pipeline(s) {names}: change or delete them first."
        raise ValidationError({"model": message})


def model_set_status(
    *, model: ModelVersion, status: str, user=None, reason: str = ""
) -> ModelVersion:
    if status not in ModelStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if status != model.status:
        StatusChange.objects.create(
            model=model, from_status=model.status, to_status=status, changed_by=user, reason=reason
        )
        model.status = status
        model.save(update_fields=["status", "updated_at"])
    return model


def model_set_tags(*, model: ModelVersion, tags: list[str]) -> None:
    clean = sorted({tag.strip() for tag in tags if tag and tag.strip()})
    too_long = [tag for tag in clean if len(tag) > 50]
    if too_long:
        raise ValidationError({"tags": f"Tags are at most 50 characters: {too_long[0]!r}."})
    model.tags.exclude(name__in=clean).delete()
    existing = set(model.tags.values_list("name", flat=True))
    ModelTag.objects.bulk_create(
        [ModelTag(model=model, name=tag) for tag in clean if tag not in existing]
    )


def _checked_name(project: Project, name: str, exclude: ModelVersion | None = None) -> str:
    siblings = ModelVersion.objects.filter(project=project)
    return name_checked(
        name, noun="model version", siblings=siblings, exclude=exclude, where="in this project"
    )


def _checked_labels(labels: list[str] | None, dataset: Model | None) -> list[str]:
    if labels is None:
        return list(dataset.labels.values_list("name", flat=True)) if dataset else []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ValidationError({"labels": "Labels are a list of names."})
    if len(set(labels)) != len(labels):
        raise ValidationError({"labels": "Labels must not repeat."})
    return labels


def _check_package_usable(package: Package, project: Project) -> None:
    if package.project_id not in (None, project.id):
        raise ValidationError({"package": "That package belongs to another project."})


def _check_dataset_in_project(dataset: Model | None, project: Project) -> None:
    if dataset is not None and dataset.project_id != project.id:
        raise ValidationError({"dataset": "The dataset must belong to the model's project."})
