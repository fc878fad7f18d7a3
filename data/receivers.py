"""What the data app does when its rows go by any road (connected in apps.py)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from data.models import Dataset
from data.services.datasets import dataset_folder, storage_folder_delete


@receiver(post_delete, sender=Dataset, dispatch_uid="dataset-images-go-with-it")
def delete_the_images_of_a_deleted_dataset(sender, instance: Dataset, **kwargs) -> None:
    """Deleted alone, with its project, or from the admin: its images go once that commits.

    The folder, not a list of names: a million names would not fit in a request."""
    folder = dataset_folder(instance)
    transaction.on_commit(lambda: storage_folder_delete(folder))
