"""The comparison view's selection, read from (and written back to) the query string.

The query string is the contract every part of the page reads, including the
evaluation section another view renders from the same string:

- `models`: model-version ids, comma-separated, in the user's order (at most 200).
  A version's position in this list is its colour index (static/comparison/palette.js).
- `metrics`: training metric names, comma-separated. Absent: a default pick;
  present but empty: none.
- `eval`: evaluation metric keys, comma-separated (`mAP,AP50,accuracy,f1`).
- `x` = step | time | relative; `smooth` = 0 to 0.99 (EMA); `log` = 1 for a log y axis;
  `layout` = panels | overlay; `points` = at most this many points per series.
- `at`: a step for the summary table; `better`: `name:min,name:max` per metric.
- `diff` = 0 shows every parameter (differences only is the default); `transpose` = 1.
- `pc`, `dataset`: read by the evaluation section; kept as they are.

Options are read leniently (a bad value means the default), but a version id the
project cannot see is a 404: a link must never silently draw something else.
"""

import math
from dataclasses import dataclass, field, replace

from django.http import Http404, QueryDict

MAX_VERSIONS = 200
MAX_METRICS = 20
MAX_EVAL_KEYS = 30
DEFAULT_POINTS = 1_000
POINTS_LIMITS = (10, 20_000)
MAX_SMOOTH = 0.99
X_AXES = ("step", "time", "relative")
LAYOUTS = ("panels", "overlay")
BETTER = ("min", "max")
# Comma-separated lists: several values of one of these keys (a form's checkboxes) join.
LIST_KEYS = ("models", "metrics", "eval", "better")
# Scalars at their default value are dropped from a canonical link.
DEFAULTS = {
    "x": "step",
    "smooth": "0",
    "log": "0",
    "layout": "panels",
    "points": str(DEFAULT_POINTS),
    "diff": "1",
    "transpose": "0",
    "at": "",
    "eval": "",
}


@dataclass(frozen=True)
class Selection:
    model_ids: tuple[int, ...] = ()
    metrics: tuple[str, ...] | None = None
    eval_keys: tuple[str, ...] = ()
    x: str = "step"
    smooth: float = 0.0
    log: bool = False
    layout: str = "panels"
    points: int = DEFAULT_POINTS
    at: int | None = None
    better: dict[str, str] = field(default_factory=dict)
    differences_only: bool = True
    transpose: bool = False
    # More versions were asked for than the page compares.
    truncated: bool = False

    def with_metrics(self, metrics: list[str]) -> "Selection":
        return replace(self, metrics=tuple(metrics))

    def chart_options(self) -> dict:
        return {
            "x": self.x,
            "smooth": self.smooth,
            "log": self.log,
            "layout": self.layout,
            "points": self.points,
        }


def selection_from_query(query: QueryDict) -> Selection:
    """The selection a (canonical) query string asks for; Http404 for a malformed id."""
    model_ids = _ids(query.get("models", ""))
    return Selection(
        model_ids=tuple(model_ids[:MAX_VERSIONS]),
        metrics=_metrics(query),
        eval_keys=tuple(_names(query.get("eval", ""))[:MAX_EVAL_KEYS]),
        x=_choice(query.get("x"), X_AXES),
        smooth=_smooth(query.get("smooth")),
        log=query.get("log") == "1",
        layout=_choice(query.get("layout"), LAYOUTS),
        points=_points(query.get("points")),
        at=_step(query.get("at")),
        better=_better(query.get("better", "")),
        differences_only=query.get("diff") != "0",
        transpose=query.get("transpose") == "1",
        truncated=len(model_ids) > MAX_VERSIONS,
    )


def canonical_query(query: QueryDict) -> QueryDict:
    """One value per key: repeated list keys joined with commas, the last scalar kept,
    scalars at their default dropped. A form's GET lands here and is redirected."""
    canonical = QueryDict(mutable=True)
    for key, values in query.lists():
        value = _joined(values) if key in LIST_KEYS else values[-1]
        if key == "metrics" or value != DEFAULTS.get(key, ""):
            canonical[key] = value
    return canonical


def query_string(query: QueryDict) -> str:
    # Commas, slashes and colons stay readable in a shared link.
    return query.urlencode(safe=",/:")


# --- Parsing helpers -------------------------------------------------------


def _joined(values: list[str]) -> str:
    parts = [part for value in values for part in value.split(",") if part]
    return ",".join(dict.fromkeys(parts))


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(part for part in text.split(",") if part))


def _ids(text: str) -> list[int]:
    ids = []
    for part in _names(text):
        if not part.strip().isdigit():
            raise Http404("No such model version.")
        ids.append(int(part))
    return list(dict.fromkeys(ids))


def _metrics(query: QueryDict) -> tuple[str, ...] | None:
    if "metrics" not in query:
        return None
    return tuple(_names(query["metrics"])[:MAX_METRICS])


def _choice(value: str | None, choices: tuple[str, ...]) -> str:
    return value if value in choices else choices[0]


def _number(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _smooth(value: str | None) -> float:
    number = _number(value)
    return 0.0 if number is None else round(min(max(number, 0.0), MAX_SMOOTH), 3)


def _points(value: str | None) -> int:
    number = _number(value)
    if number is None:
        return DEFAULT_POINTS
    low, high = POINTS_LIMITS
    return int(min(max(number, low), high))


def _step(value: str | None) -> int | None:
    number = _number(value)
    return None if number is None or number < 0 else int(number)


def _better(text: str) -> dict[str, str]:
    pairs = (part.rpartition(":") for part in _names(text))
    return {name: way for name, _, way in pairs if name and way in BETTER}
