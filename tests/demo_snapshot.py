"""The demo town's rows, taken once after the session loads it, and put back after a
transactional test has flushed them: what ``load_demo`` would write again, in a fraction of
its time.

- PostgreSQL: every table's rows are copied out with ``COPY … TO STDOUT`` into memory and
  copied back with ``COPY … FROM STDIN``, with triggers and foreign-key checks off for the
  copy (``session_replication_role = replica``), so the summary rows the triggers keep come
  back as they were rather than counted twice. Sequences only move forward, past the rows
  put back, so an id is never handed out twice in a session (as with a reload).
- SQLite: no copy (the demo is loaded again, as before). A transactional test's flush of the
  demo fails there on a foreign key anyway, so the tests that commit data run on PostgreSQL.

Any failure (another driver, a role that may not switch off triggers) leaves ``restore``
returning False: the caller then loads the demo as before.
"""

from __future__ import annotations

import io

from django.db import connection


class DemoSnapshot:
    def __init__(self):
        self.tables: list[str] = []
        self.copies: dict[str, bytes] = {}

    # --- taking --------------------------------------------------------------------------
    def take(self) -> bool:
        try:
            if connection.vendor != "postgresql":
                return False
            self._take_postgresql()
        except Exception:  # noqa: BLE001 - any driver trouble: the tests reload the demo
            self.tables, self.copies = [], {}
            return False
        return True

    @property
    def taken(self) -> bool:
        return bool(self.copies)

    def _tables(self) -> list[str]:
        # The tables ``flush`` empties after a transactional test.
        return sorted(connection.introspection.django_table_names(only_existing=True,
                                                                  include_views=False))

    def _take_postgresql(self):
        connection.ensure_connection()
        self.tables = self._tables()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in self.tables:
                buffer = io.BytesIO()
                raw.copy_expert(f'COPY {connection.ops.quote_name(table)} TO STDOUT', buffer)
                self.copies[table] = buffer.getvalue()

    # --- putting back --------------------------------------------------------------------
    def restore(self) -> bool:
        """Put the demo's rows back into the (flushed) test database; False if it could not."""
        if not self.taken:
            return False
        try:
            self._restore_postgresql()
        except Exception:  # noqa: BLE001 - the caller falls back to loading the demo
            return False
        return True

    def _restore_postgresql(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.execute("BEGIN")
            try:
                raw.execute("SET LOCAL session_replication_role = replica")
                raw.execute("TRUNCATE " + ", ".join(quote(t) for t in self.tables))
                for table in self.tables:
                    if self.copies[table]:
                        raw.copy_expert(f"COPY {quote(table)} FROM STDIN",
                                        io.BytesIO(self.copies[table]))
                # Each sequence past the highest id put back, never backwards.
                raw.execute("""
                    SELECT seq.relname, tab.relname, col.attname
                    FROM pg_class seq
                    JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
                    JOIN pg_class tab ON tab.oid = dep.refobjid
                    JOIN pg_attribute col ON col.attrelid = tab.oid
                         AND col.attnum = dep.refobjsubid
                    JOIN pg_namespace ns ON ns.oid = seq.relnamespace
                    WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
                """)
                owned = [row for row in raw.fetchall() if row[1] in self.tables]
                for seq, table, column in owned:
                    raw.execute(
                        f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({quote(column)}), 1) "
                        f"FROM {quote(table)}), (SELECT last_value FROM {quote(seq)})))",
                        [seq])
                raw.execute("COMMIT")
            except Exception:
                raw.execute("ROLLBACK")
                raise


SNAPSHOT = DemoSnapshot()
