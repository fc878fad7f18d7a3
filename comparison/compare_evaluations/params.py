"""The comparison page's query string, as the evaluation section reads it.

The page and its sections share one query string, so a copied link reopens the same
view. This section reads `models`, `eval`, `pc` and `dataset`; every other parameter
belongs to the page and is carried along untouched in each link the section builds.
"""

from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.urls import reverse

MAX_VERSIONS = 200
MAX_METRICS = 30  # as many as the comparison page keeps in `eval`
# `pc=metric:loss/val` means the training series' last value, not an evaluation key.
TRAINING_PREFIX = "metric:"


@dataclass(frozen=True)
class SectionParams:
    model_ids: tuple[int, ...]
    eval_keys: tuple[str, ...]
    pc: str
    dataset_id: int | None
    query: QueryDict
    truncated: bool = False


def section_params(query: QueryDict) -> SectionParams:
    """The section's parameters; a malformed id is a 404 like an id of another project."""
    model_ids = _ids(query.get("models", ""))
    return SectionParams(
        model_ids=model_ids[:MAX_VERSIONS],
        eval_keys=_keys(query.get("eval", ""))[:MAX_METRICS],
        pc=query.get("pc", "").strip(),
        dataset_id=_optional_id(query.get("dataset", "")),
        query=query,
        truncated=len(model_ids) > MAX_VERSIONS,
    )


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 19


def _ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(_is_id(part) for part in parts):
        raise Http404("No such model version.")
    return tuple(dict.fromkeys(int(part) for part in parts))


def _keys(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _optional_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _is_id(text):
        raise Http404("No such dataset.")
    return int(text)


def compare_page_path(project_id: int) -> str:
    return reverse("compare:page", args=[project_id])


def page_url(project_id: int, query: QueryDict, **changes: str | None) -> str:
    """The comparison page with `changes` applied to its query string (None or "": removed)."""
    updated = query.copy()
    for key, value in changes.items():
        if value in (None, ""):
            updated.pop(key, None)
        else:
            updated[key] = value
    encoded = updated.urlencode(safe=",:/")
    return (
        f"{compare_page_path(project_id)}?{encoded}" if encoded else compare_page_path(project_id)
    )


def query_string(query: QueryDict) -> str:
    return query.urlencode(safe=",:/")


def hidden_fields(query: QueryDict, without: str) -> list[tuple[str, str]]:
    """Every other parameter, as (name, value) pairs a GET form carries along."""
    return [(key, value) for key, values in query.lists() if key != without for value in values]
