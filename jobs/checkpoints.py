"""A training's checkpoints: kept after each epoch, found again to resume from.

A checkpoint is the folder the adapter wrote, stored as one uncompressed zip (the
tensors inside do not compress). The newest CHECKPOINTS_KEPT of a job stay; older
ones go as new ones arrive, their files with them.
"""

import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from jobs.models import Checkpoint, Job, JobKind, JobStatus
from jobs.services import JobConflict, model_train


def checkpoint_store(*, job: Job, folder: str | Path, epoch: int) -> Checkpoint:
    with tempfile.TemporaryFile(suffix=".zip") as archive:
        _zip_folder(Path(folder), archive)
        size = archive.tell()
        archive.seek(0)
        with transaction.atomic():
            Checkpoint.objects.filter(job=job, epoch=epoch).delete()
            checkpoint = Checkpoint(job=job, model_id=job.model_id, epoch=epoch, size=size)
            checkpoint.file.save(f"epoch_{epoch:05d}.zip", File(archive), save=False)
            checkpoint.save()
    _prune(job)
    return checkpoint


def _zip_folder(folder: Path, archive) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(folder).as_posix())


def _prune(job: Job) -> None:
    kept = settings.CHECKPOINTS_KEPT
    if kept <= 0:
        return
    stale = Checkpoint.objects.filter(job=job).order_by("-epoch")[kept:]
    for checkpoint in stale:
        checkpoint.delete()  # the receiver removes the file


def checkpoint_to_resume(*, model) -> Checkpoint | None:
    """The newest checkpoint of the model's last training, if it did not finish."""
    last = Job.objects.filter(model=model, kind=JobKind.TRAIN).exclude(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    last = last.order_by("-created_at", "-id").first()
    if last is None or last.status == JobStatus.SUCCEEDED:
        return None
    found = last.checkpoints.order_by("-epoch").first()
    if found is None and last.parameters.get("resumed_from"):
        # A resumed job killed before its first epoch: its own start point still stands.
        found = Checkpoint.objects.filter(pk=last.parameters["resumed_from"]).first()
    return found


def checkpoint_unpack(*, checkpoint: Checkpoint, folder: str | Path) -> Path:
    folder = Path(folder)
    with checkpoint.file.open("rb") as handle, zipfile.ZipFile(handle) as zipped:
        for member in zipped.namelist():
            target = (folder / member).resolve()
            if not target.is_relative_to(folder.resolve()):  # a zip never writes outside
                raise ValueError(f"checkpoint entry {member!r} points outside its folder")
        zipped.extractall(folder)
    return folder


def model_train_resume(*, model, user) -> Job:
    """Queue a training that goes on from the checkpoint of the model's interrupted one."""
    checkpoint = checkpoint_to_resume(model=model)
    if checkpoint is None:
        raise JobConflict(
            f"{model.name} has no interrupted training with a checkpoint to resume: "
            "train it anew instead."
        )
    return model_train(model=model, user=user, parameters={"resumed_from": checkpoint.id})
