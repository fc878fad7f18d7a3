"""Forms of the dataset and item pages. They check the shape of the input;
the services check everything that needs the database or the files."""

import re

from django import forms
from django.core.exceptions import ValidationError

from data.models import AnnotationKind
from registry.models import Subset

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOR = "#1f77b4"


class LabelRowsWidget(forms.Widget):
    """The label map as table rows of parallel inputs: label_id, label_name, label_color.

    Row order is label order; the page's JS adds, removes and moves rows.
    """

    def value_from_datadict(self, data, files, name: str) -> list[dict]:
        ids = data.getlist(f"{name}_id")
        names = data.getlist(f"{name}_name")
        colors = data.getlist(f"{name}_color")
        rows = []
        for index, label_name in enumerate(names):
            rows.append(
                {
                    "id": ids[index] if index < len(ids) else "",
                    "name": label_name.strip(),
                    "color": colors[index] if index < len(colors) else DEFAULT_COLOR,
                }
            )
        return rows

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return f"{name}_name" not in data


class LabelMapField(forms.Field):
    """Cleans to [{"name", "color"} (+ "id" for an existing label)], blank rows dropped."""

    widget = LabelRowsWidget

    def to_python(self, value) -> list[dict]:
        rows = [row for row in (value or []) if row.get("name")]
        seen: set[str] = set()
        cleaned = []
        for row in rows:
            cleaned.append(self._clean_row(row, seen))
        return cleaned

    def _clean_row(self, row: dict, seen: set[str]) -> dict:
        name, color = row["name"], row.get("color") or DEFAULT_COLOR
        if len(name) > 100:
            raise ValidationError(f"The label name {name[:20]!r}… is over 100 characters.")
        if name in seen:
            raise ValidationError(f"The label {name!r} is listed twice.")
        if not COLOR.match(color):
            raise ValidationError(f"The colour of {name!r} must look like #1f77b4.")
        seen.add(name)
        cleaned = {"name": name, "color": color.lower()}
        if str(row.get("id") or "").isdigit():
            cleaned["id"] = int(row["id"])
        return cleaned


class DatasetForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    annotation_kind = forms.ChoiceField(
        label="Kind",
        choices=[(AnnotationKind.CLASS, "Classification"), (AnnotationKind.BOX, "Boxes")],
        initial=AnnotationKind.CLASS,
        help_text="What the ground truth is: one label per image, or boxes. Fixed once created.",
    )
    labels = LabelMapField(label="Label map", required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The items' annotations depend on the kind, so it never changes.
            del self.fields["annotation_kind"]

    def label_rows(self) -> list[dict]:
        """Rows to draw: what was posted (so errors keep the input), else the initial map."""
        rows = self["labels"].value() or []
        return [
            dict(row, color=row.get("color") or DEFAULT_COLOR) for row in rows if row.get("name")
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>, as Django's docs show."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        if isinstance(data, list | tuple) and data:
            files = [super(MultipleFileField, self).clean(one, initial) for one in data]
        else:
            # None or []: the single-file clean raises "required" when it must.
            files = [super().clean(data, initial)]
        return [one for one in files if one]


SUBSET_CHOICES = [(value, label) for value, label in Subset.choices]


class ImagesUploadForm(forms.Form):
    files = MultipleFileField(
        label="Images",
        help_text="PNG or JPEG; select several at once.",
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    subset = forms.ChoiceField(choices=SUBSET_CHOICES, initial=Subset.NONE, required=False)


class ZipImportForm(forms.Form):
    archive = forms.FileField(
        label="Zip archive",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        help_text="One folder per label, e.g. cat/001.png, dog/002.png.",
    )


class CocoImportForm(forms.Form):
    coco_file = forms.FileField(
        label="COCO JSON",
        help_text="The annotations file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    images = MultipleFileField(
        label="Images",
        help_text="The images the JSON names: several files, or one zip.",
        widget=MultipleFileInput(attrs={"accept": "image/*,.zip"}),
    )


class SplitForm(forms.Form):
    train = forms.FloatField(min_value=0, max_value=100, initial=70, label="Train %")
    validation = forms.FloatField(min_value=0, max_value=100, initial=15, label="Validation %")
    test = forms.FloatField(min_value=0, max_value=100, initial=15, label="Test %")
    seed = forms.IntegerField(initial=0, help_text="The same seed gives the same split.")

    def clean(self) -> dict:
        cleaned = super().clean()
        parts = [cleaned.get(name) for name in ("train", "validation", "test")]
        if None not in parts and sum(parts) > 100:
            raise ValidationError("The three percentages add up to more than 100.")
        return cleaned


class IdListField(forms.Field):
    """Ids from repeated inputs of one name (the grid's checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(str(one).isdigit() for one in values):
            raise ValidationError("Item ids are whole numbers.")
        return [int(one) for one in values]

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise ValidationError("Select at least one item.")


class AssignSubsetForm(forms.Form):
    # Any id is accepted here; the service keeps only the dataset's own items.
    item = IdListField(label="Items")
    subset = forms.ChoiceField(choices=SUBSET_CHOICES)
