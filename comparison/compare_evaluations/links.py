"""What the section's template shows beside its charts: metric chips, choosers, notes.

Every link and form leads to the comparison page with one parameter changed and the
others kept, so the page (and with it this section) reloads in the new state.
"""

from django.urls import reverse

from comparison.compare_evaluations.params import TRAINING_PREFIX, hidden_fields, page_url
from comparison.compare_evaluations.section import Section, pc_title


def metric_chips(section: Section) -> dict:
    """Keys to add to `eval`, and the chosen ones with a link that removes each."""
    project_id, query, chosen = section.project.id, section.params.query, section.eval_keys
    add = [
        {"key": key, "href": page_url(project_id, query, eval=",".join([*chosen, key]))}
        for key in section.summary_keys
        # A comma would split the key in two on its way through `eval`.
        if key not in chosen and "," not in key
    ]
    remove = [
        {
            "key": key,
            "href": page_url(project_id, query, eval=",".join(k for k in chosen if k != key)),
        }
        for key in chosen
    ]
    return {"add": add, "remove": remove}


def not_evaluated(section: Section) -> list[dict]:
    """Versions without an evaluation, with their colour index and model page."""
    project_id = section.project.id
    return [
        {
            "name": version.name,
            "index": index,
            "url": reverse("registry:model_detail", args=[project_id, version.id]),
        }
        for index, version in enumerate(section.versions)
        if version.id not in section.chosen
    ]


def subset_groups(section: Section) -> list[dict]:
    """Versions per subset, when the chosen evaluations do not all use the same one."""
    groups: dict[str, list[str]] = {}
    for version in section.versions:
        row = section.chosen.get(version.id)
        if row is not None:
            groups.setdefault(row["subset"] or "every item", []).append(version.name)
    if len(groups) < 2:
        return []
    return [{"subset": subset, "versions": names} for subset, names in groups.items()]


def dataset_chooser(section: Section) -> dict | None:
    """Offered when the versions were evaluated on several datasets (or one was asked for)."""
    if len(section.datasets) < 2 and section.params.dataset_id is None:
        return None
    options = list(section.datasets)
    if section.dataset and section.dataset["id"] not in {row["id"] for row in options}:
        options.append(section.dataset)
    return {
        "options": options,
        "current": section.dataset["id"] if section.dataset else None,
        "hidden": hidden_fields(section.params.query, without="dataset"),
        "defaulted": section.params.dataset_id is None,
    }


def pc_chooser(section: Section) -> dict:
    options = [{"value": key, "title": key} for key in section.summary_keys]
    options += [
        {"value": TRAINING_PREFIX + name, "title": pc_title(TRAINING_PREFIX + name)}
        for name in section.training_names
    ]
    if section.pc and section.pc not in {option["value"] for option in options}:
        options.insert(0, {"value": section.pc, "title": pc_title(section.pc)})
    return {
        "options": options,
        "current": section.pc,
        "title": pc_title(section.pc),
        "hidden": hidden_fields(section.params.query, without="pc"),
        "missing": [v.name for v in section.versions if v.id not in section.pc_values],
    }
