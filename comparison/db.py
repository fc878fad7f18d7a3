"""Database helpers shared by the metrics store and the evaluations."""

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
