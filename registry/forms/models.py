"""Forms of the package and model-version pages. Services do the real checks."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from registry.models import DEFAULT_QUEUE, ModelStatus, OutputType, Package, Subset, queue_name
from registry.selectors.models import MODEL_ORDERINGS


class JSONObjectField(forms.JSONField):
    """A JSON object typed in a textarea; empty means {}. Errors say where the JSON breaks."""

    widget = forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})

    def to_python(self, value):
        if value in self.empty_values:
            return {}
        if isinstance(value, dict):
            return value
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"This is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno}).",
                code="invalid",
            ) from None
        if not isinstance(parsed, dict):
            raise ValidationError(
                'This must be a JSON object, like {"epochs": 10}.', code="not_object"
            )
        return parsed

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value in (None, {}):
            return ""
        return json.dumps(value, indent=2, ensure_ascii=False)


class CommaListField(forms.CharField):
    """Names separated by commas → a list, blanks dropped; empty → None ("not given")."""

    def to_python(self, value) -> list[str] | None:
        text = super().to_python(value)
        if not text:
            return None
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class PackageForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    output_type = forms.ChoiceField(choices=OutputType.choices, label="Output type")
    adapter = forms.CharField(
        max_length=200,
        help_text="The ModelAdapter it runs: module.path:ClassName, or an entry point's name.",
        widget=forms.TextInput(attrs={"placeholder": "mypackage.adapter:MyAdapter"}),
    )
    default_configuration = JSONObjectField(
        required=False,
        label="Default configuration",
        help_text='A JSON object of hyper-parameters, e.g. {"epochs": 10, "learning_rate": 0.001}.',
    )


def _subset_field(label: str, initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=Subset.choices, initial=initial, label=label)


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, package: Package) -> str:
        scope = "public" if package.is_public else "project"
        return f"{package.name} ({scope}, {package.get_output_type_display().lower()})"


class ModelForm(forms.Form):
    """Create and edit a model version; `package` is only on the create form."""

    package = PackageChoiceField(queryset=Package.objects.none())
    name = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    configuration = JSONObjectField(
        required=False,
        help_text="A JSON object. On create it is merged over the package's defaults.",
    )
    # The project's datasets, set by the view (`datasets`).
    dataset = forms.ModelChoiceField(queryset=None, required=False, empty_label="— none —")
    labels = CommaListField(
        required=False,
        help_text="Comma separated, in order. Leave empty to take the dataset's labels.",
    )
    train_subset = _subset_field("Train subset", Subset.TRAIN)
    validation_subset = _subset_field("Validation subset", Subset.VALIDATION)
    test_subset = _subset_field("Test subset", Subset.TEST)
    tags = CommaListField(required=False, help_text="Comma separated, e.g. baseline, v2.")
    queue = forms.CharField(
        max_length=50,
        required=False,
        initial=DEFAULT_QUEUE,
        validators=[queue_name],
        help_text="Trainings go to the workers of this queue (e.g. gpu); empty: training.",
    )

    def __init__(self, *args, packages: QuerySet | None, datasets: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if packages is None:
            del self.fields["package"]
        else:
            self.fields["package"].queryset = packages
        self.fields["dataset"].queryset = datasets

    def clean_queue(self) -> str:
        return self.cleaned_data["queue"] or DEFAULT_QUEUE


class CloneForm(forms.Form):
    name = forms.CharField(max_length=100, label="New name")
    configuration = JSONObjectField(
        required=False,
        label="Configuration overrides",
        help_text="A JSON object merged over the parent's configuration. Empty keeps it as is.",
    )
    dataset = forms.ModelChoiceField(
        queryset=None,  # the project's datasets, set by the view (`datasets`)
        required=False,
        empty_label="— same as the parent —",
        help_text="Optional: train the clone on another dataset of this project.",
    )

    def __init__(self, *args, datasets: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets


class ModelFilterForm(forms.Form):
    """The model list's query string; an invalid value is ignored, not an error page."""

    q = forms.CharField(required=False, label="Search by name")
    package = forms.ModelChoiceField(
        queryset=Package.objects.none(), required=False, empty_label="All packages"
    )
    status = forms.ChoiceField(choices=[("", "All statuses"), *ModelStatus.choices], required=False)
    # Free text shown as a select: a stale ?tag= in a shared link then matches nothing.
    tag = forms.CharField(required=False, widget=forms.Select)
    sort = forms.ChoiceField(required=False)

    def __init__(self, *args, packages: QuerySet, tags: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = packages
        self.fields["tag"].widget.choices = [("", "All tags"), *[(tag, tag) for tag in tags]]
        keys = [*MODEL_ORDERINGS, *[f"-{key}" for key in MODEL_ORDERINGS]]
        self.fields["sort"].choices = [("", "Default"), *[(key, key) for key in keys]]

    def filters(self) -> dict:
        """Keyword arguments for model_list_for_project, from the fields that are valid."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "package": data.get("package"),
            "status": data.get("status") or "",
            "tag": data.get("tag") or "",
            "order": data.get("sort") or "",
        }


class ArtifactUploadForm(forms.Form):
    file = forms.FileField()
    name = forms.CharField(
        max_length=200, required=False, help_text="Optional; the file's own name by default."
    )
    replace = forms.BooleanField(required=False, label="Replace an artifact with the same name")
