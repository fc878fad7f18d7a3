"""Rows written a column at a time: one INSERT or UPDATE per chunk of rows.

On PostgreSQL each column travels as one binary array built by numpy, through a
server-side-binding cursor on Django's connection (so inside its transaction). Django's
own cursor binds on the client, quoting every value in Python: for a million rows that
quoting took longer than the database's work. On SQLite the rows go by executemany.
"""

import struct
from dataclasses import dataclass

import numpy as np
from django.db import connection
from psycopg.adapt import Dumper
from psycopg.pq import Format

from core.db import server_binding_cursor

CHUNK = 100_000
# PostgreSQL type oids: the element type, and the array of it.
TYPES = {"bigint": (20, 1016, ">i8"), "float8": (701, 1022, ">f8")}


@dataclass
class Column:
    name: str
    kind: str  # "bigint" or "float8"
    values: np.ndarray
    missing: np.ndarray  # True where the value is NULL

    def __getitem__(self, rows: slice) -> "Column":
        return Column(self.name, self.kind, self.values[rows], self.missing[rows])

    def as_list(self) -> list:
        return [
            None if gone else value
            for value, gone in zip(self.values.tolist(), self.missing.tolist(), strict=True)
        ]


def floats(name: str, values: np.ndarray) -> Column:
    """A float8 column; NaN is NULL."""
    values = np.asarray(values, dtype=np.float64)
    return Column(name, "float8", values, np.isnan(values))


def ids(name: str, values: np.ndarray) -> Column:
    """A bigint column; a negative value is NULL."""
    values = np.asarray(values, dtype=np.int64)
    return Column(name, "bigint", values, values < 0)


def listed(name: str, kind: str, values: list) -> Column:
    """A column from a Python list, None for NULL."""
    missing = np.array([value is None for value in values], dtype=bool)
    filled = [0 if value is None else value for value in values]
    dtype = np.int64 if kind == "bigint" else np.float64
    return Column(name, kind, np.array(filled, dtype=dtype), missing)


def insert_rows(model, columns: list[Column]) -> None:
    names = ", ".join(column.name for column in columns)
    table = _table(model)
    for chunk in _chunks(columns):
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%b::{column.kind}[]" for column in chunk)
            _execute_binary(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})", chunk)
        else:
            marks = ", ".join(["%s"] * len(chunk))
            rows = list(zip(*(column.as_list() for column in chunk), strict=True))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def update_rows(model, row_ids: np.ndarray, columns: list[Column]) -> None:
    """Set `columns` on the rows whose ids are `row_ids` (in the same order)."""
    everything = [ids("id", row_ids), *columns]
    table = _table(model)
    for chunk in _chunks(everything):
        if connection.vendor == "postgresql":
            _update_postgresql(table, chunk)
        else:
            _update_sqlite(table, chunk)


def _update_postgresql(table: str, chunk: list[Column]) -> None:
    names = ", ".join(column.name for column in chunk)
    arrays = ", ".join(f"%b::{column.kind}[]" for column in chunk)
    sets = ", ".join(f"{column.name} = u.{column.name}" for column in chunk[1:])
    _execute_binary(
        f"UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS u({names}) WHERE t.id = u.id",
        chunk,
    )


def _update_sqlite(table: str, chunk: list[Column]) -> None:
    sets = ", ".join(f"{column.name} = %s" for column in chunk[1:])
    values = [column.as_list() for column in chunk]
    rows = list(zip(*values[1:], values[0], strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _chunks(columns: list[Column]):
    total = len(columns[0].values) if columns else 0
    for lo in range(0, total, CHUNK):
        yield [column[lo : lo + CHUNK] for column in columns]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# --- PostgreSQL's binary array format ------------------------------------------------


class _BinaryColumnDumper(Dumper):
    format = Format.BINARY

    def dump(self, column: Column) -> bytes:
        return binary_array(column)


def _execute_binary(sql: str, columns: list[Column]) -> None:
    with server_binding_cursor() as cursor:
        cursor.adapters.register_dumper(Column, _BinaryColumnDumper)
        cursor.execute(sql, columns)


def binary_array(column: Column) -> bytes:
    """array_recv's input: a header, then per element its length (-1: NULL) and value."""
    element_oid, _, dtype = TYPES[column.kind]
    count = len(column.values)
    has_nulls = bool(column.missing.any())
    if count == 0:
        return struct.pack(">iiI", 0, 0, element_oid)
    header = struct.pack(">iiIii", 1, int(has_nulls), element_oid, count, 1)
    cells = np.empty(count, dtype=[("size", ">i4"), ("value", dtype)])
    cells["size"] = np.where(column.missing, -1, 8)
    cells["value"] = np.where(column.missing, 0, column.values)
    raw = cells.view(np.uint8).reshape(count, 12)
    if not has_nulls:
        return header + raw.tobytes()
    keep = np.ones((count, 12), dtype=bool)
    keep[column.missing, 4:] = False  # a NULL is its length alone
    return header + raw[keep].tobytes()
