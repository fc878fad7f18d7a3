"""Rows written a column at a time, on SQLite and (in CI) PostgreSQL's binary arrays."""

import struct

import numpy as np
import pytest

from evaluation.bulk_sql import binary_array, floats, ids, insert_rows, listed, update_rows
from evaluation.models import EvalPrediction

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(store):
    from tests.evaluation.evaluations.generated import detection_set

    gts, dets = detection_set(seed=1, images=3, labels=2)
    return store(gts, dets, 3, 2).evaluation


def _insert(evaluation, item_id, label_id, count):
    insert_rows(
        EvalPrediction,
        [
            ids("evaluation_id", np.full(count, evaluation.pk)),
            ids("item_id", np.full(count, item_id)),
            ids("label_id", np.full(count, label_id)),
            floats("confidence", np.linspace(0, 1, count)),
            floats("x", np.where(np.arange(count) % 2, np.nan, 1.5)),
            *(floats(name, np.full(count, np.nan)) for name in "ywh"),
            floats("iou_same", np.zeros(count)),
            floats("iou_any", np.zeros(count)),
        ],
    )


def test_inserted_columns_come_back_with_their_nulls(evaluation):
    row = EvalPrediction.objects.filter(evaluation=evaluation).first()
    EvalPrediction.objects.filter(evaluation=evaluation).delete()
    _insert(evaluation, row.item_id, row.label_id, 5)
    stored = list(EvalPrediction.objects.order_by("id").values_list("confidence", "x", "y"))
    assert [confidence for confidence, _, _ in stored] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert [x for _, x, _ in stored] == [1.5, None, 1.5, None, 1.5]
    assert {y for _, _, y in stored} == {None}


def test_updated_columns_land_on_the_rows_named_by_id(evaluation):
    rows = list(EvalPrediction.objects.filter(evaluation=evaluation).order_by("id")[:3])
    row_ids = np.array([row.id for row in rows[::-1]])
    update_rows(
        EvalPrediction,
        row_ids,
        [ids("match_50", np.array([7, -1, 9])), floats("x", np.array([0.1, np.nan, 0.3]))],
    )
    stored = EvalPrediction.objects.filter(id__in=row_ids).values_list("id", "match_50", "x")
    found = {row_id: (match, x) for row_id, match, x in stored}
    assert found[int(row_ids[0])] == (7, 0.1)
    assert found[int(row_ids[1])] == (None, None)
    assert found[int(row_ids[2])] == (9, 0.3)


def test_a_listed_column_reads_none_as_null():
    column = listed("x", "float8", [1.0, None, 2.5])
    assert column.as_list() == [1.0, None, 2.5]
    assert listed("item_id", "bigint", [None, 4]).as_list() == [None, 4]


def test_the_binary_array_follows_postgresqls_layout():
    payload = binary_array(ids("x", np.array([5, -1])))
    header = struct.unpack(">iiIii", payload[:20])
    assert header == (1, 1, 20, 2, 1)  # one dimension, has NULLs, int8, two elements from 1
    assert struct.unpack(">iq", payload[20:32]) == (8, 5)
    assert struct.unpack(">i", payload[32:]) == (-1,)  # a NULL is its length alone


def test_an_empty_column_is_an_empty_array():
    assert binary_array(floats("x", np.array([]))) == struct.pack(">iiI", 0, 0, 701)
