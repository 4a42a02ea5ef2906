"""What Django compiles, whether or not it then runs a query: a ``none()`` queryset or a
prefetch by a null key is compiled whole before Django finds nothing to run."""

from contextlib import contextmanager
from unittest import mock

from django.db.models.sql.compiler import SQLCompiler


@contextmanager
def compiled_tables():
    """Inside the block, the main table of each query compiled, in order."""
    tables = []
    original = SQLCompiler.as_sql

    def as_sql(compiler, *args, **kwargs):
        tables.append(compiler.query.model._meta.db_table)
        return original(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", as_sql):
        yield tables
