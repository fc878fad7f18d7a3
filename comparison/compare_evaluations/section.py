"""Everything the evaluation section shows, read once for the page and its CSV exports."""

from dataclasses import dataclass, field

from comparison.compare_evaluations import selectors
from comparison.compare_evaluations.keys import is_number, summary_keys, value_of
from comparison.compare_evaluations.lineage import release_order
from comparison.compare_evaluations.params import TRAINING_PREFIX, SectionParams
from registry.models import ModelVersion, Project


@dataclass
class Section:
    project: Project
    params: SectionParams
    versions: list[ModelVersion] = field(default_factory=list)  # in the order of `models`
    chosen: dict[int, dict] = field(default_factory=dict)  # model id → its evaluation
    datasets: list[dict] = field(default_factory=list)  # evaluated on, most versions first
    dataset: dict | None = None  # where evaluations come from; None: each version's newest
    summary_keys: list[str] = field(default_factory=list)
    pc: str = ""
    pc_values: dict[int, float] = field(default_factory=dict)
    training_names: list[str] = field(default_factory=list)
    ordered: list[ModelVersion] = field(default_factory=list)  # release order
    order: str = "created"

    @property
    def evaluations(self) -> list[dict]:
        return [self.chosen[v.id] for v in self.versions if v.id in self.chosen]

    @property
    def eval_keys(self) -> list[str]:
        return list(self.params.eval_keys)


def build_section(*, project: Project, params: SectionParams) -> Section:
    section = Section(project=project, params=params)
    if not params.model_ids:
        return section
    ids = params.model_ids
    section.versions = selectors.versions_in_project(project=project, model_ids=ids)
    section.datasets = selectors.evaluated_datasets(project=project, model_ids=ids)
    section.dataset = _dataset_choice(project, params, section.datasets)
    dataset_id = section.dataset["id"] if section.dataset else None
    section.chosen = selectors.chosen_evaluations(
        project=project, model_ids=ids, dataset_id=dataset_id
    )
    section.summary_keys = summary_keys(section.evaluations)
    section.pc = params.pc or next(iter([*params.eval_keys, *section.summary_keys]), "")
    section.pc_values = _pc_values(section)
    section.training_names = selectors.training_metric_names(model_ids=ids)
    section.ordered, section.order = release_order(section.versions)
    return section


def _dataset_choice(project: Project, params: SectionParams, datasets: list[dict]) -> dict | None:
    """The dataset asked for; else, when versions were evaluated on several, the one
    most of them share, so the bars compare numbers measured on the same data."""
    if params.dataset_id is not None:
        known = next((row for row in datasets if row["id"] == params.dataset_id), None)
        if known is not None:
            return known
        dataset = selectors.dataset_in_project(project=project, dataset_id=params.dataset_id)
        return {"id": dataset.id, "name": dataset.name, "versions": 0}
    return datasets[0] if len(datasets) > 1 else None


def _pc_values(section: Section) -> dict[int, float]:
    ids = section.params.model_ids
    if section.pc.startswith(TRAINING_PREFIX):
        name = section.pc[len(TRAINING_PREFIX) :]
        values = selectors.training_last_values(model_ids=ids, name=name)
    else:
        values = {
            model_id: value_of(row["summary"], section.pc)
            for model_id, row in section.chosen.items()
        }
    return {model_id: value for model_id, value in values.items() if is_number(value)}


def pc_title(pc: str) -> str:
    if pc.startswith(TRAINING_PREFIX):
        return f"{pc[len(TRAINING_PREFIX) :]} (last value)"
    return pc
