from django.db import models


class Subset(models.TextChoices):
    """The ML subset an item is tagged with, and that a model trains, validates or tests on."""

    TRAIN = "train", "Train"
    VALIDATION = "validation", "Validation"
    TEST = "test", "Test"
    NONE = "none", "None"
