"""The name every row has: 1 to 100 characters, unique within its parent."""

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

MAX_NAME_LENGTH = 100


def name_checked(
    name, *, noun: str, siblings: QuerySet, exclude: Model | None = None, where: str = ""
) -> str:
    """`name` stripped, or a ValidationError on "name" when it is empty, too long, or
    taken by one of `siblings` other than `exclude` (the row being renamed)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": f"A {noun} needs a name of 1 to {MAX_NAME_LENGTH} characters."}
        )
    taken = siblings.filter(name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        here = f" {where}" if where else ""
        raise ValidationError({"name": f"A {noun} named {name!r} already exists{here}."})
    return name
