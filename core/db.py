"""Database helpers any domain may use: bulk reads, bulk writes, binary parameters."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection


@contextmanager
def server_binding_cursor():
    """A PostgreSQL cursor on Django's connection (so inside its transaction) that sends
    parameters to the server as they are, binary ones included. Django's own cursor
    binds on the client, quoting every value into the SQL text in Python: for large
    arrays that took longer than the database's work."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def in_chunk_size() -> int:
    """Ids per `id__in` query: SQLite allows 999 parameters, others many more."""
    return min(connection.features.max_query_params or 5000, 5000) - 10


def chunked(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
