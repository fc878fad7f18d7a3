"""A checkpoint's file goes with its row, however the row goes (pruned, or with its job)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from jobs.models import Checkpoint


@receiver(post_delete, sender=Checkpoint, dispatch_uid="checkpoint-file-goes-with-it")
def checkpoint_file_delete(sender, instance: Checkpoint, **kwargs) -> None:
    name = instance.file.name
    transaction.on_commit(lambda: default_storage.delete(name))
