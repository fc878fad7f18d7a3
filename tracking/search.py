"""MLflow's run search: `filter_string` and `order_by` over runs, as `runs/search` takes them.

    metrics.`accuracy/val` > 0.9 and params.optimizer = "adamw" and tags.team LIKE 'vis%'
    and attributes.status = 'FINISHED'

Clauses are joined by AND (MLflow has no OR). Metrics compare as numbers (a run
without the metric does not match); params and tags as strings with =, !=, LIKE,
ILIKE, IN and NOT IN; attributes by their kind. A key with characters other than
letters, digits, `_`, `.`, `/`, `-` and `:` is quoted in backticks or double quotes.
"""

import math
import re
from dataclasses import dataclass

from tracking.errors import InvalidValue

ENTITIES = {
    "metric": "metrics",
    "metrics": "metrics",
    "param": "params",
    "params": "params",
    "parameter": "params",
    "parameters": "params",
    "tag": "tags",
    "tags": "tags",
    "attribute": "attributes",
    "attributes": "attributes",
    "attr": "attributes",
    "run": "attributes",
}
NUMERIC_ATTRIBUTES = {"start_time", "end_time", "created"}
TEXT_ATTRIBUTES = {"run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"}
COMPARISONS = ("<=", ">=", "!=", "=", "<", ">")
TEXT_OPERATORS = ("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN", "NOT LIKE", "NOT ILIKE")

TOKEN = re.compile(
    r"""\s*(?:
      (?P<key>(?P<entity>[A-Za-z_]+)\.(?:`(?P<bq>[^`]+)`|"(?P<dq>[^"]+)"|(?P<bare>[\w./:-]+)))
    | (?P<op><=|>=|!=|=|<|>|(?i:not\s+ilike|not\s+like|not\s+in|ilike|like|in)\b)
    | (?P<and>(?i:and)\b)
    | '(?P<sq_value>(?:[^'\\]|\\.)*)'
    | "(?P<dq_value>(?:[^"\\]|\\.)*)"
    | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    | (?P<list>\((?:[^()'"]|'[^']*'|"[^"]*")*\))
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clause:
    entity: str  # metrics, params, tags, attributes
    key: str
    op: str
    value: object  # float, str or tuple of str


def parse_filter(text: str | None) -> list[Clause]:
    text = (text or "").strip()
    clauses, position = [], 0
    while position < len(text):
        if clauses:
            position = _expect_and(text, position)
        clause, position = _clause(text, position)
        clauses.append(clause)
        position = _skip_space(text, position)
    return clauses


def matches(run_values: dict, clauses: list[Clause]) -> bool:
    """`run_values`: {"metrics": {...}, "params": {...}, "tags": {...}, "attributes": {...}}."""
    return all(_holds(run_values, clause) for clause in clauses)


def parse_order_by(items) -> list[tuple[str, str, bool]]:
    """[(entity, key, descending)] from ["metrics.`loss` DESC", "attributes.start_time"]."""
    found = []
    for item in items or []:
        text = str(item).strip()
        descending = bool(re.search(r"\s+desc$", text, re.IGNORECASE))
        text = re.sub(r"\s+(asc|desc)$", "", text, flags=re.IGNORECASE)
        if "." not in text and text in NUMERIC_ATTRIBUTES | TEXT_ATTRIBUTES:
            text = f"attributes.{text}"  # a bare attribute, as MLflow allows
        match = TOKEN.fullmatch(text)
        if match is None or not match.group("key"):
            raise InvalidValue(f"Invalid order_by clause {item!r}: use e.g. 'metrics.`loss` DESC'.")
        entity, key = _entity_and_key(match, 0)
        found.append((entity, key, descending))
    return found


def sort_key(run_values: dict, entity: str, key: str):
    value = run_values[entity].get("start_time" if key == "created" else key)
    if value is None:
        return (1, 0, "")
    return (0, value, "") if isinstance(value, int | float) else (0, 0, str(value))


# --- Parsing ------------------------------------------------------------------------


def _clause(text: str, position: int) -> tuple[Clause, int]:
    key_match = _token(text, position, "key", "a key such as metrics.accuracy")
    entity, key = _entity_and_key(key_match, position)
    op_match = _token(text, key_match.end(), "op", "an operator (=, !=, <, >, LIKE, IN...)")
    op = re.sub(r"\s+", " ", op_match.group("op").upper())
    value_match = TOKEN.match(text, op_match.end())
    if value_match is None or value_match.group("key") or value_match.group("op"):
        raise _error(text, op_match.end(), "a value (a number, a 'string' or a ('list'))")
    value = _value(value_match, text, op_match.end())
    _check_kinds(entity, key, op, value, text, position)
    return Clause(entity, key, op, value), value_match.end()


def _entity_and_key(match: re.Match, position: int) -> tuple[str, str]:
    entity = ENTITIES.get(match.group("entity").lower())
    if entity is None:
        raise InvalidValue(
            f"Invalid filter at position {position}: {match.group('entity')!r} is not one of "
            "metrics, params, tags or attributes."
        )
    key = match.group("bq") or match.group("dq") or match.group("bare")
    return entity, key


def _value(match: re.Match, text: str, position: int):
    if match.group("number") is not None:
        return float(match.group("number"))
    if match.group("list") is not None:
        items = re.findall(r"'([^']*)'|\"([^\"]*)\"", match.group("list"))
        return tuple(single or double for single, double in items)
    quoted = match.group("sq_value")
    if quoted is None:
        quoted = match.group("dq_value")
    if quoted is None:
        raise _error(text, position, "a value")
    return re.sub(r"\\(.)", r"\1", quoted)


def _check_kinds(entity: str, key: str, op: str, value, text: str, position: int) -> None:
    numeric = entity == "metrics" or (entity == "attributes" and key in NUMERIC_ATTRIBUTES)
    if entity == "attributes" and key not in NUMERIC_ATTRIBUTES | TEXT_ATTRIBUTES:
        raise _error(text, position, f"an attribute ({', '.join(sorted(TEXT_ATTRIBUTES))}...)")
    if numeric and (op not in COMPARISONS or not isinstance(value, float)):
        raise _error(text, position, f"a number compared with {', '.join(COMPARISONS)}")
    if not numeric and op not in TEXT_OPERATORS:
        raise _error(text, position, f"{', '.join(TEXT_OPERATORS)} for {entity}")
    if not numeric and (op.endswith("IN") != isinstance(value, tuple)):
        raise _error(text, position, "a ('list') after IN, a 'string' otherwise")
    if not numeric and not op.endswith("IN") and not isinstance(value, str):
        raise _error(text, position, f"a quoted string for {entity}.{key}")


def _token(text: str, position: int, group: str, wanted: str) -> re.Match:
    match = TOKEN.match(text, position)
    if match is None or match.group(group) is None:
        raise _error(text, position, wanted)
    return match


def _expect_and(text: str, position: int) -> int:
    match = TOKEN.match(text, position)
    if match is None or match.group("and") is None:
        raise _error(text, position, "AND between clauses (MLflow has no OR)")
    return match.end()


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _error(text: str, position: int, wanted: str) -> InvalidValue:
    position = _skip_space(text, position)
    near = text[position : position + 20] or "the end"
    return InvalidValue(
        f"Invalid filter at position {position} (near {near!r}): expected {wanted}."
    )


# --- Evaluating ---------------------------------------------------------------------


def _holds(run_values: dict, clause: Clause) -> bool:
    key = "start_time" if clause.key == "created" else clause.key
    actual = run_values[clause.entity].get(key)
    if actual is None:
        return clause.op in ("!=", "NOT IN", "NOT LIKE", "NOT ILIKE") and clause.entity != "metrics"
    if isinstance(clause.value, float):
        return _compare(float(actual), clause.op, clause.value)
    return _text(str(actual), clause.op, clause.value)


def _compare(actual: float, op: str, wanted: float) -> bool:
    if math.isnan(actual):
        return False
    return {
        "=": actual == wanted,
        "!=": actual != wanted,
        "<": actual < wanted,
        ">": actual > wanted,
        "<=": actual <= wanted,
        ">=": actual >= wanted,
    }[op]


def _text(actual: str, op: str, wanted) -> bool:
    if op in ("IN", "NOT IN"):
        return (actual in wanted) == (op == "IN")
    if op in ("=", "!="):
        return (actual == wanted) == (op == "=")
    flags = re.IGNORECASE if "ILIKE" in op else 0
    found = re.fullmatch(_like_pattern(wanted), actual, flags | re.DOTALL) is not None
    return found != op.startswith("NOT")


def _like_pattern(pattern: str) -> str:
    return "".join(
        ".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern
    )
