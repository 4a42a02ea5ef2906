"""``field__any_of=ids``: membership in a set of ids sent as one parameter.

The scope rule narrows every case list to the user's small grids: for a county user that is
hundreds of ids. Django's ``__in`` prepares, binds and writes out one placeholder an id in
every query (about 1.5 ms of Python a query for 480 grids); ``__any_of`` sends the ids as one
array, ``field = ANY(%s)`` on PostgreSQL, which is what PostgreSQL makes of an ``IN`` list
anyway (the same plan). Elsewhere (SQLite) it is an ``IN`` list. For integer keys only.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Sorted: the same ids give the same SQL text (and the same plan-cache entry).
        return sorted({int(value) for value in self.rhs if value is not None})

    def _lhs(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        return self.process_lhs(compiler, connection)

    def as_sql(self, compiler, connection):
        lhs, params = self._lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params = self._lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


# Related fields keep lookups of their own: registered on both.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
