"""The pipeline form. The service checks the rest (dataset and champion agree, cron, names)."""

from django import forms
from django.db.models import QuerySet

from data.models import Dataset
from pipelines.models import Pipeline, PipelineTrigger
from registry.forms.models import JSONObjectField
from registry.models import ModelVersion

# Summary keys the evaluations write: classification first, then boxes.
METRIC_SUGGESTIONS = (
    "accuracy",
    "macro_f1",
    "weighted_f1",
    "macro_precision",
    "macro_recall",
    "mAP",
    "AP50",
    "AP75",
    "recall",
)


class ChampionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, model: ModelVersion) -> str:
        return f"{model.name} ({model.package.name}, {model.status})"


class PipelineForm(forms.Form):
    name = forms.CharField(max_length=100)
    dataset = forms.ModelChoiceField(
        queryset=Dataset.objects.none(),
        help_text="Its items are what each run trains and tests on.",
    )
    champion = ChampionChoiceField(
        queryset=ModelVersion.objects.none(),
        help_text="The model version in service; each run clones it into a challenger.",
    )
    overrides = JSONObjectField(
        required=False,
        label="Configuration overrides",
        help_text='A JSON object merged over the champion\'s configuration, e.g. {"epochs": 5}.',
    )
    trigger = forms.ChoiceField(
        choices=PipelineTrigger.choices, initial=PipelineTrigger.MANUAL, widget=forms.RadioSelect
    )
    new_items_threshold = forms.IntegerField(
        min_value=1,
        required=False,
        label="New items",
        help_text="With “every N new items”: how many newly annotated train items start a run.",
    )
    schedule = forms.CharField(
        max_length=100,
        required=False,
        help_text="With “on a schedule”: cron, 5 fields (minute hour day month weekday), in UTC.",
        widget=forms.TextInput(attrs={"placeholder": "0 3 * * *", "spellcheck": "false"}),
    )
    metric = forms.CharField(
        max_length=100,
        initial="accuracy",
        help_text="A summary metric of the evaluations, e.g. accuracy, macro_f1, mAP or AP50.",
        widget=forms.TextInput(attrs={"list": "metric-suggestions", "autocomplete": "off"}),
    )
    higher_is_better = forms.BooleanField(required=False, initial=True, label="Higher is better")
    min_improvement = forms.FloatField(
        initial=0.0,
        label="Minimum improvement",
        help_text="0 asks for any gain; 0.01 for at least +0.01; below 0 tolerates a loss.",
    )
    max_label_regression = forms.FloatField(
        min_value=0,
        required=False,
        label="Largest drop allowed on one label",
        help_text="Optional: refuse a challenger whose F1 (AP for boxes) falls more on any label.",
    )
    auto_promote = forms.BooleanField(
        required=False,
        initial=True,
        label="Promote automatically",
        help_text="Unticked, a winning challenger waits for a developer to approve it.",
    )

    def __init__(self, *args, datasets: QuerySet, champions: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        self.fields["champion"].queryset = champions


def pipeline_initial(pipeline: Pipeline) -> dict:
    """The edit form's values: the pipeline's own."""
    return {name: getattr(pipeline, name) for name in PipelineForm.base_fields}
