"""Regression diff: what changed between two evaluations of a dataset at one threshold pair.

"current" is the evaluation being read, "baseline" the one it is compared with (usually
an older version's). The same snapped IoU threshold and confidence apply to both.

Ground truths are paired across the two by annotation and label (a relabelled
annotation is another ground truth); a paired one is
  regressed  found (TP) by the baseline, missed (FN) by the current evaluation;
  fixed      missed by the baseline, found by the current one.
Ground truths in one evaluation only (annotated or deleted in between) are left out.
False positives have no identity across models, so they are compared per (item, label):
  new_fp     how many more the current evaluation has there than the baseline;
  fp_gone    how many fewer.

The changes per (item, label) are a UNION ALL of three grouped ORM queries (regressed,
fixed, false positives of both); the per-label table, the item count and a page of items
group that again, in one statement, so no row is looped over in Python.
"""

import sys
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from evaluation.models import EvalGroundTruth, EvalPrediction, Evaluation
from evaluation.selectors import snap_iou

CHANGES = ("regressed", "fixed", "new_fp", "fp_gone")
# Regressions first: they are what a reviewer opens the diff for.
DEFAULT_ORDER = "regressed + new_fp DESC, fixed + fp_gone DESC"


@dataclass(frozen=True)
class DiffScope:
    """The two evaluations and the pair, IoU snapped; `subset` narrows the compared
    items when only one evaluation was limited to a subset."""

    current: Evaluation
    baseline: Evaluation
    iou: float
    key: str
    min_confidence: float
    label_id: int | None = None
    subset: str | None = None


def diff_scope(
    current: Evaluation,
    baseline: Evaluation,
    *,
    iou: float = 0.5,
    min_confidence: float = 0.0,
    label_id: int | None = None,
) -> DiffScope:
    threshold, key = snap_iou(iou)
    subsets = {current.subset, baseline.subset} - {""}
    return DiffScope(
        current=current,
        baseline=baseline,
        iou=threshold,
        key=key,
        min_confidence=float(min_confidence),
        label_id=label_id,
        subset=subsets.pop() if len(subsets) == 1 and current.subset != baseline.subset else None,
    )


def _found(scope: DiffScope) -> Q:
    # Negated, Django adds "IS NOT NULL": a ground truth never matched is missed too.
    return Q(**{f"conf_{scope.key}__gte": scope.min_confidence})


def _truths(scope: DiffScope) -> QuerySet:
    rows = EvalGroundTruth.objects.filter(evaluation=scope.current).order_by()
    return rows if scope.label_id is None else rows.filter(label_id=scope.label_id)


def _paired(scope: DiffScope, found: bool) -> Exists:
    """The baseline has this ground truth, found (or missed) at the pair."""
    twins = EvalGroundTruth.objects.filter(
        evaluation=scope.baseline,
        annotation_id=OuterRef("annotation_id"),
        label_id=OuterRef("label_id"),
    )
    return Exists(twins.filter(_found(scope) if found else ~_found(scope)))


def truth_changes(scope: DiffScope, change: str) -> QuerySet:
    """The current evaluation's ground truths that `change` ("regressed" or "fixed")."""
    if change == "regressed":
        return _truths(scope).exclude(_found(scope)).filter(_paired(scope, found=True))
    return _truths(scope).filter(_found(scope)).filter(_paired(scope, found=False))


def _false_positives(scope: DiffScope) -> QuerySet:
    """Per (item, label) where they differ: the current evaluation's false positives less
    the baseline's, as `net`."""
    rows = EvalPrediction.objects.filter(
        evaluation__in=[scope.current.pk, scope.baseline.pk],
        confidence__gte=scope.min_confidence,
        **{f"match_{scope.key}__isnull": True},
    )
    if scope.label_id is not None:
        rows = rows.filter(label_id=scope.label_id)
    if scope.subset is not None:
        rows = rows.filter(item__subset=scope.subset)
    # One signed sum rather than two filtered counts: a single aggregate per group.
    signed = Case(When(evaluation=scope.current.pk, then=Value(1)), default=Value(-1))
    grouped = rows.order_by().values("item_id", "label_id").annotate(net=Sum(signed))
    return grouped.exclude(net=0)


def _grouped_truths(scope: DiffScope, change: str) -> QuerySet:
    return truth_changes(scope, change).values("item_id", "label_id").annotate(n=Count("id"))


def changes_sql(scope: DiffScope) -> tuple[str, list]:
    """SQL for the rows (item_id, label_id, regressed, fixed, new_fp, fp_gone), each with
    at least one change; its parameters."""
    regressed, regressed_params = _grouped_truths(scope, "regressed").query.sql_with_params()
    fixed, fixed_params = _grouped_truths(scope, "fixed").query.sql_with_params()
    sql = (
        "SELECT item_id, label_id, n AS regressed, 0 AS fixed, 0 AS new_fp, 0 AS fp_gone"
        f" FROM ({regressed}) AS regressed_rows"
        f" UNION ALL SELECT item_id, label_id, 0, n, 0, 0 FROM ({fixed}) AS fixed_rows"
    )
    if scope.current.pk == scope.baseline.pk:  # the signed sum would count each row once
        return sql, [*regressed_params, *fixed_params]
    fps, fp_params = _false_positives(scope).query.sql_with_params()
    sql += (
        " UNION ALL SELECT item_id, label_id, 0, 0,"
        " CASE WHEN net > 0 THEN net ELSE 0 END, CASE WHEN net < 0 THEN -net ELSE 0 END"
        f" FROM ({fps}) AS fp_rows"
    )
    return sql, [*regressed_params, *fixed_params, *fp_params]


def _by_item(changes: str, label_id: int | None, change: str | None) -> tuple[str, list]:
    """Group `changes` (a table name or a parenthesised query) by item, filtered."""
    sums = ", ".join(f"SUM({one}) AS {one}" for one in CHANGES)
    where = "" if label_id is None else " WHERE label_id = %s"
    having = f" HAVING SUM({change}) > 0" if change else ""
    sql = f"SELECT item_id, {sums} FROM {changes}{where} GROUP BY item_id{having}"
    return sql, [] if label_id is None else [label_id]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _counts(values) -> dict[str, int]:
    return {change: int(value or 0) for change, value in zip(CHANGES, values, strict=True)}


def _check_change(change: str | None) -> None:
    # The change is written into the SQL: only a known name may get there.
    if change is not None and change not in CHANGES:
        raise ValueError(f"change is one of {', '.join(CHANGES)}")


@dataclass(frozen=True)
class ChangedItem:
    item_id: int
    regressed: int
    fixed: int
    new_fp: int
    fp_gone: int

    @property
    def counts(self) -> dict[str, int]:
        return {change: getattr(self, change) for change in CHANGES}


def _order(change: str | None) -> str:
    return f"{change} DESC, item_id" if change else f"{DEFAULT_ORDER}, item_id"


def _summary_sql(scope, label_id, change, page: slice | None) -> tuple[str, list]:
    """Parts 0: per label; 1: the item count; 2: the rows of `page`. The CTEs are each
    used more than once, so PostgreSQL computes them once."""
    changes, params = changes_sql(scope)
    items, item_params = _by_item("changes", label_id, change)
    sums = ", ".join(f"SUM({one})" for one in CHANGES)
    sql = (
        f"WITH changes AS ({changes}), changed_items AS ({items})"
        f" SELECT 0, label_id, {sums} FROM changes GROUP BY label_id"
        " UNION ALL SELECT 1, NULL, COUNT(*), 0, 0, 0 FROM changed_items"
    )
    params = [*params, *item_params]
    if page is not None:
        sql += (
            " UNION ALL SELECT 2, page_rows.* FROM (SELECT * FROM changed_items"
            f" ORDER BY {_order(change)} LIMIT %s OFFSET %s) AS page_rows"
        )
        params += [page.stop - page.start, page.start]
    return sql, params


def regression_summary(
    scope: DiffScope,
    *,
    label_id: int | None = None,
    change: str | None = None,
    page: slice | None = None,
) -> dict:
    """{"per_label": {label id: counts}, "totals": counts, "items": n, "page": rows}: each
    change counted per label (only labels with one) and in total, how many items the list
    narrowed to `label_id` and `change` holds, and its rows in the `page` slice (if given).
    One statement, so the changes are computed once for all three."""
    _check_change(change)
    rows = _fetch(*_summary_sql(scope, label_id, change, page))
    per_label = {key: _counts(values) for part, key, *values in rows if part == 0}
    return {
        "per_label": per_label,
        "totals": {one: sum(counts[one] for counts in per_label.values()) for one in CHANGES},
        "items": next(int(values[0]) for part, _, *values in rows if part == 1),
        "page": [ChangedItem(key, *map(int, values)) for part, key, *values in rows if part == 2],
    }


@dataclass
class ChangedItems:
    """The items with a change (with `change` if given, on `label_id` if given), worst
    first, one row each. Lazy like a queryset: a Paginator counts them (no query when the
    count is known from the summary) and reads one page."""

    scope: DiffScope
    label_id: int | None = None
    change: str | None = None
    known_count: int | None = field(default=None, repr=False)
    # (start, stop, rows) of a slice read with the summary.
    known_page: tuple | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _check_change(self.change)
        if self.label_id is not None:  # filtered where the rows are read, not after
            self.scope = replace(self.scope, label_id=self.label_id)

    def _grouped(self) -> tuple[str, list]:
        changes, params = changes_sql(self.scope)
        grouped, extra = _by_item(f"({changes}) AS changes", None, self.change)
        return grouped, [*params, *extra]

    def count(self) -> int:
        if self.known_count is None:
            sql, params = self._grouped()
            self.known_count = _fetch(f"SELECT COUNT(*) FROM ({sql}) AS changed", params)[0][0]
        return self.known_count

    def __getitem__(self, index: slice) -> list[ChangedItem]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Changed items are read by slices, a page at a time.")
        start = index.start or 0
        known = self.known_page
        # A Paginator ends the last page at the count: a shorter slice of the same rows.
        if known and known[0] == start and index.stop is not None and index.stop <= known[1]:
            return known[2][: index.stop - start]
        limit = sys.maxsize if index.stop is None else max(index.stop - start, 0)
        sql, params = self._grouped()
        rows = _fetch(
            f"SELECT * FROM ({sql}) AS changed ORDER BY {_order(self.change)} LIMIT %s OFFSET %s",
            [*params, limit, start],
        )
        return [ChangedItem(item_id, *map(int, counts)) for item_id, *counts in rows]


@dataclass(frozen=True)
class RegressionDiff:
    iou: float
    min_confidence: float
    per_label: dict[int, dict[str, int]]
    totals: dict[str, int]
    items: ChangedItems


def regression_diff(
    current: Evaluation,
    baseline: Evaluation,
    *,
    iou: float = 0.5,
    min_confidence: float = 0.0,
    label_id: int | None = None,
    change: str | None = None,
    page: slice | None = None,
) -> RegressionDiff:
    """The counts per label and in total, and the changed items (lazy: paginate them),
    all narrowed to `label_id` if given; `change` narrows the items only. One query; the
    rows of `page` (the slice a Paginator will ask for) come with it, other slices cost
    one query each. `baseline` is assumed checked: see regression_baselines."""
    scope = diff_scope(current, baseline, iou=iou, min_confidence=min_confidence, label_id=label_id)
    summary = regression_summary(scope, change=change, page=page)
    known = None if page is None else (page.start, page.stop, summary["page"])
    return RegressionDiff(
        iou=scope.iou,
        min_confidence=scope.min_confidence,
        per_label=summary["per_label"],
        totals=summary["totals"],
        items=ChangedItems(scope, None, change, summary["items"], known),
    )


def changed_truths(scope: DiffScope, item_ids: set[int]) -> list[EvalGroundTruth]:
    """The regressed and fixed ground truths on those items (to draw), each with `change`."""
    found = []
    for change in ("regressed", "fixed"):
        for row in truth_changes(scope, change).filter(item_id__in=item_ids):
            row.change = change
            found.append(row)
    return found
