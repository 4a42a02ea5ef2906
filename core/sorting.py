"""A ledger's orders chosen by its column headers (``?sort=``), one mechanism for every ledger.

A ledger declares once which of its columns sort and by what field; from that declaration
come the accepted ``sort`` values (an unknown one falls back to the default), the keyset
pages (``core.keyset``: the order is (field, id) in either direction, served by an index on
(field, id); a nullable field's empty rows come last both ways), the same order for the
export and the print, and the header cells (a link that sorts, ``aria-sort`` on the column
in force; ``templates/core/_sort_headers.html``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from .keyset import KeysetPaginator


@dataclass(frozen=True)
class SortColumn:
    field: str
    # The first click's direction: newest first for a date something happened, the earliest
    # first for a deadline.
    descending_first: bool = False


class LedgerSorts:
    """The orders of one ledger: ``columns`` maps a header's position to its ``SortColumn``;
    ``default`` is a sort value (``"-received_on"``: descending)."""

    def __init__(self, *, columns: dict[int, SortColumn], default: str):
        self.columns = columns
        self.fields = {column.field: column for column in columns.values()}
        self.default = default
        if self.default.lstrip("-") not in self.fields:
            raise ValueError(f"default sort {default!r} is not one of the columns")

    def parse(self, value: str | None) -> str:
        """The sort value asked for, or the default for a missing or unknown one."""
        if value and value.lstrip("-") in self.fields and value.count("-") <= 1:
            return value
        return self.default

    @staticmethod
    def key(sort: str) -> tuple[str, bool]:
        """(field, descending) of a parsed sort value."""
        return sort.lstrip("-"), sort.startswith("-")

    def order(self, qs: QuerySet, sort: str) -> QuerySet:
        """``qs`` in the order the pages show (empty values last), for the export and print."""
        key, descending = self.key(sort)
        if qs.model._meta.get_field(key).null:
            column = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
        else:  # a plain ORDER BY, which the (column, id) index serves either way
            column = F(key).desc() if descending else F(key).asc()
        return qs.order_by(column, "-pk" if descending else "pk")

    def paginator(self, qs: QuerySet, sort: str, **kwargs) -> KeysetPaginator:
        key, descending = self.key(sort)
        return KeysetPaginator(qs, key=key, descending=descending, **kwargs)

    def headers(self, headers, sort: str, query: str) -> list[dict]:
        """The header cells: a link that sorts by the column (again: the other way), and the
        column's ``aria-sort`` when it is the order. ``query`` is the page's query string
        without its sort and page."""
        current, descending = self.key(sort)
        cells = []
        for index, label in enumerate(headers):
            column = self.columns.get(index)
            cell = {"label": label, "url": None, "aria_sort": None}
            if column:
                if column.field == current:
                    cell["aria_sort"] = "descending" if descending else "ascending"
                    wanted = column.field if descending else f"-{column.field}"
                else:
                    wanted = f"-{column.field}" if column.descending_first else column.field
                cell["url"] = f"?{query + '&' if query else ''}sort={wanted}"
            cells.append(cell)
        return cells

    def page_context(self, request, sort: str, headers) -> dict:
        """What a ledger's template needs of the order: the header cells and the query
        string the page links keep (everything but the page's position)."""
        query = request.GET.copy()
        for name in ("page", "after", "before"):
            query.pop(name, None)
        unsorted = query.copy()
        unsorted.pop("sort", None)
        return {"sort_headers": self.headers(headers, sort, unsorted.urlencode()),
                "query": query.urlencode(), "sort": sort}
