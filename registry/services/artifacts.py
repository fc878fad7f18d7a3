from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from registry.models import Artifact, ModelVersion
from registry.services.files import (
    checked_artifact_path,
    checked_file_name,
    human_size,
    sha256_and_size,
)


@transaction.atomic
def artifact_upload(
    *, model: ModelVersion, file, user, name: str = "", replace: bool = False, folders: bool = False
) -> Artifact:
    """`folders`: the name may be a relative path (`model/MLmodel`), as MLflow's are."""
    name = (
        checked_artifact_path(name or file.name)
        if folders
        else checked_file_name(name or file.name)
    )
    if file.size > settings.MAX_ARTIFACT_BYTES:
        raise ValidationError(
            {"file": f"Artifacts are limited to {human_size(settings.MAX_ARTIFACT_BYTES)}."}
        )
    existing = model.artifacts.filter(name=name).first()
    if existing and not replace:
        raise ValidationError({"name": f"The model already has an artifact named {name!r}."})
    sha256, size = sha256_and_size(file)
    artifact = Artifact(
        model=model,
        name=name,
        size=size,
        sha256=sha256,
        content_type=getattr(file, "content_type", None) or "application/octet-stream",
        created_by=user,
    )
    artifact.file.save(name.replace("/", "__"), file, save=False)  # stored flat
    try:
        if existing:
            artifact_delete(artifact=existing)
        artifact.save()
    except Exception:
        # Nothing half-written: the stored file goes if its row does not land.
        default_storage.delete(artifact.file.name)
        raise
    return artifact


def artifact_copy(*, artifact: Artifact, model: ModelVersion, user) -> Artifact:
    """The same stored file, attached to another model (files are shared, not duplicated)."""
    return Artifact.objects.create(
        model=model,
        name=artifact.name,
        file=artifact.file.name,
        size=artifact.size,
        sha256=artifact.sha256,
        content_type=artifact.content_type,
        created_by=user,
    )


def artifact_delete(*, artifact: Artifact) -> None:
    file_name = artifact.file.name
    artifact.delete()
    still_used = Artifact.objects.filter(file=file_name).exists()
    if not still_used:
        transaction.on_commit(lambda: default_storage.delete(file_name))
