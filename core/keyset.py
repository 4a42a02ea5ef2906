"""Keyset (seek) pagination and cheap counts for long lists.

A page is found by the position of its first or last row in the list's order, not by an
OFFSET: the database walks an index from that key and stops after one page, so the last page
of a million rows costs what the first does. The first few pages keep their numbers (an OFFSET
over at most a few hundred rows), later pages are reached by ``after``/``before`` cursors, and
the last page by reading the order backwards.

The list's order is a pair (a column, the primary key), both descending by default, e.g.
``("found_at", "id")`` for ``ORDER BY found_at DESC, id DESC``, or both ascending (a deadline,
the earliest first); an index on that column (within the scope's filter) serves it either way.

Counts are exact up to ``COUNT_EXACT_UP_TO`` rows (a count over a LIMIT, so bounded); above
it the planner's estimate is shown, marked as such ("约").
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet

NUMBERED_PAGES = 10
COUNT_EXACT_UP_TO = 10_000


@dataclass
class Count:
    value: int
    estimated: bool = False

    def __int__(self):
        return self.value


def count_rows(qs: QuerySet, *, exact_up_to: int = COUNT_EXACT_UP_TO) -> Count:
    """The number of rows of ``qs``: exact when at most ``exact_up_to``, else estimated from
    the planner's statistics (PostgreSQL) — a count of a large scope reads every row of it."""
    qs = qs.order_by()
    bounded = qs.values("pk")[: exact_up_to + 1].count()
    if bounded <= exact_up_to:
        return Count(bounded)
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return Count(qs.count())
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return Count(max(estimate, exact_up_to + 1), estimated=True)


def encode_cursor(key, pk, position: int | None) -> str:
    raw = json.dumps([key.isoformat() if hasattr(key, "isoformat") else key, pk, position],
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, key_field) -> tuple | None:
    """(key, pk, position) or None for a token that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key, pk, position = json.loads(raw)
        return key_field.to_python(key), int(pk), (int(position) if position else None)
    except (ValueError, TypeError, ValidationError):
        return None


@dataclass
class KeysetPage:
    object_list: list
    number: int | None  # the page's number when known (the first pages and the last)
    start: int | None  # the position of the first row, when known
    count: Count
    per_page: int
    next_cursor: str | None = None
    previous_cursor: str | None = None
    previous_number: int | None = None
    next_number: int | None = None
    is_last: bool = False
    numbered: list = field(default_factory=list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor or self.previous_number
                    or self.next_number)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count.value // self.per_page))


class KeysetPaginator:
    """Pages of ``qs`` in the order (``key``, pk), descending unless ``descending=False``.

    A nullable key (a deadline that closed cases no longer have) puts its empty rows last
    whatever the direction: the list is two segments, the rows with a key in (key, pk) order
    and then those without in pk order, each read from an index on (key, pk) and joined at
    the seam, so a page still costs one or two bounded reads."""

    def __init__(self, qs: QuerySet, *, key: str, per_page: int = 50,
                 numbered_pages: int = NUMBERED_PAGES, count: Count | None = None,
                 descending: bool = True):
        self.qs = qs
        self.key = key
        self.key_field = qs.model._meta.get_field(key)
        self.nullable = self.key_field.null
        self.descending = descending
        self.per_page = per_page
        self.numbered_pages = numbered_pages
        self._count = count

    @property
    def count(self) -> Count:
        if self._count is None:
            self._count = count_rows(self.qs)
        return self._count

    # The two segments, each forwards (the list's direction) or backwards.
    def _keyed(self, forwards=True):
        k = self.key
        qs = self.qs.filter(**{f"{k}__isnull": False}) if self.nullable else self.qs
        desc = self.descending == forwards
        return qs.order_by(f"-{k}", "-pk") if desc else qs.order_by(k, "pk")

    def _empty(self, forwards=True):
        qs = self.qs.filter(**{f"{self.key}__isnull": True})
        return qs.order_by("-pk") if self.descending == forwards else qs.order_by("pk")

    def _beyond(self, key, pk, forwards=True):
        """The keyed rows strictly beyond (key, pk) in the reading direction."""
        k = self.key
        down = self.descending == forwards
        op, eq = ("lt", "lte") if down else ("gt", "gte")
        # The first condition lets the index be walked from the key; the second breaks ties.
        return self._keyed(forwards).filter(**{f"{k}__{eq}": key}).filter(
            Q(**{f"{k}__{op}": key}) | Q(**{k: key, f"pk__{op}": pk}))

    def _empty_beyond(self, pk, forwards=True):
        op = "lt" if self.descending == forwards else "gt"
        return self._empty(forwards).filter(**{f"pk__{op}": pk})

    def _read(self, first, then, limit):
        rows = list(first[:limit])
        if then is not None and len(rows) < limit:
            rows += list(then[: limit - len(rows)])
        return rows

    def _forwards_from(self, key, pk, limit):
        if key is None:
            return list(self._empty_beyond(pk)[:limit])
        return self._read(self._beyond(key, pk), self._empty() if self.nullable else None,
                          limit)

    def _backwards_from(self, key, pk, limit):
        """Rows before (key, pk), nearest first."""
        if key is None:
            return self._read(self._empty_beyond(pk, forwards=False),
                              self._keyed(forwards=False), limit)
        return list(self._beyond(key, pk, forwards=False)[:limit])

    def _offset(self, offset, limit):
        """Rows ``offset`` … ``offset + limit`` of the list (the numbered pages)."""
        rows = list(self._keyed()[offset: offset + limit])
        if not self.nullable or len(rows) == limit:
            return rows
        keyed = self._keyed().values("pk")[:offset].count() if not rows else offset + len(rows)
        skip = max(0, offset - keyed)
        return rows + list(self._empty()[skip: skip + limit - len(rows)])

    def _cursor(self, obj, position):
        return encode_cursor(getattr(obj, self.key), obj.pk, position)

    def page(self, *, number=None, after: str | None = None, before: str | None = None
             ) -> KeysetPage:
        """One page: ``number`` (1 … the numbered pages, or ``"last"``), else the page after
        or before a cursor; a bad or missing value gives the first page."""
        n = self.per_page
        if after and (decoded := decode_cursor(after, self.key_field)):
            key, pk, position = decoded
            rows = self._forwards_from(key, pk, n + 1)
            has_more = len(rows) > n
            rows = rows[:n]
            start = position + 1 if position else None
            return self._page(rows, start, has_more_after=has_more, has_more_before=True)
        if before and (decoded := decode_cursor(before, self.key_field)):
            key, pk, position = decoded
            rows = self._backwards_from(key, pk, n + 1)
            has_more = len(rows) > n
            rows = list(reversed(rows[:n]))
            start = position - len(rows) if position else None
            if start is not None and start <= 1:
                start = 1
            return self._page(rows, start, has_more_after=True, has_more_before=has_more)
        if number == "last":
            return self.last_page()
        try:
            number = max(1, min(int(number or 1), self.numbered_pages))
        except (TypeError, ValueError):
            number = 1
        offset = (number - 1) * n
        rows = self._offset(offset, n + 1)
        if not rows and number > 1:
            return self.page(number=1)
        has_more = len(rows) > n
        return self._page(rows[:n], offset + 1, has_more_after=has_more,
                          has_more_before=number > 1)

    def last_page(self) -> KeysetPage:
        """The last rows, read backwards; numbered when the count is exact."""
        count = self.count
        n = self.per_page
        size = (count.value % n or n) if not count.estimated else n
        if self.nullable:
            rows = self._read(self._empty(forwards=False), self._keyed(forwards=False), size)
        else:
            rows = list(self._keyed(forwards=False)[:size])
        rows = list(reversed(rows))
        start = count.value - len(rows) + 1 if not count.estimated else None
        page = self._page(rows, start, has_more_after=False,
                          has_more_before=count.value > len(rows))
        return page

    def _page(self, rows, start, *, has_more_after, has_more_before) -> KeysetPage:
        n = self.per_page
        count = self.count
        number = None
        if start is not None and (start - 1) % n == 0:
            number = (start - 1) // n + 1
        page = KeysetPage(object_list=rows, number=number, start=start, count=count,
                          per_page=n)
        page.is_last = not has_more_after
        if rows and has_more_after:
            end = start + len(rows) - 1 if start else None
            if number is not None and number < self.numbered_pages:
                page.next_number = number + 1
            page.next_cursor = self._cursor(rows[-1], end)
        if rows and has_more_before:
            if number is not None and 1 < number <= self.numbered_pages + 1:
                page.previous_number = number - 1
            page.previous_cursor = self._cursor(rows[0], start)
        page.numbered = list(range(1, min(self.numbered_pages, page.num_pages) + 1))
        return page
