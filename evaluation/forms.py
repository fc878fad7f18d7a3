"""The model page's Evaluate form."""

from django import forms

from data.models import Dataset
from registry.models import ModelVersion, Project

SUBSET_CHOICES = [
    ("test", "Test"),
    ("validation", "Validation"),
    ("train", "Train"),
    ("none", "None (not in a subset)"),
    ("", "Every item"),
]


class EvaluateForm(forms.Form):
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.none(), empty_label=None)
    subset = forms.ChoiceField(choices=SUBSET_CHOICES, required=False, initial="test")

    def __init__(self, *args, model: ModelVersion, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only datasets whose annotations the package predicts.
        kind = model.package.output_type
        self.fields["dataset"].queryset = project.datasets.filter(annotation_kind=kind)
        self.fields["dataset"].initial = model.dataset_id
