"""Several counts over different tables in one statement.

A dashboard shows a handful of counts, each a small indexed read; as separate queries each
costs a round trip and Django's building of a query. ``count_each(name=queryset, …)`` sends them
as one ``SELECT (SELECT count(*) FROM (…)), …``: each part is the queryset's own SQL, so it
counts exactly what ``queryset.count()`` counts, and PostgreSQL plans each part as it would
plan it alone.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet


def count_each(**querysets: QuerySet) -> dict[str, int]:
    """``{name: queryset.count()}``, in one query (none when every queryset is empty)."""
    parts, params, using = [], [], None
    for name, qs in querysets.items():
        using = using or qs.db
        if qs.db != using:
            raise ValueError(f"{name}: every queryset must read the same database")
        query = qs.values("pk").order_by().query
        try:
            sql, part_params = query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) AS part_{len(parts)})")
        params.extend(part_params)
    if not parts:
        return {}
    if all(part == "0" for part in parts):
        return dict.fromkeys(querysets, 0)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def head_and_count(qs: QuerySet, n: int) -> tuple[list, int]:
    """The first ``n`` rows of ``qs`` and how many it has in all: when fewer than ``n`` come
    back, that is all of them and no count is run (a short queue, the usual case, costs one
    query)."""
    rows = list(qs[:n])
    return rows, (len(rows) if len(rows) < n else qs.count())


def page_of(qs: QuerySet, per_page: int, number) -> Page:
    """``Paginator(qs, per_page).get_page(number)``, and an empty list's page holds ``[]``:
    Django's page of an empty list is the queryset's ``[0:0]``, which finds nothing without
    asking the database but builds and compiles the whole query to know it (about a
    millisecond for a queue's rows)."""
    page = Paginator(qs, per_page).get_page(number)
    if not page.paginator.count:
        page.object_list = []
    return page
