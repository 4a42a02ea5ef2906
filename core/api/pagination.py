from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.keyset import Count, KeysetPaginator


class StandardPagination(PageNumberPagination):
    """Numbered pages of 50 by default; ``?page_size=`` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    """Pages of a long list whose cost does not depend on how deep they are (``core.keyset``).

    The envelope keeps the numbered pagination's fields (``count``, ``next``, ``previous``,
    ``results``) and adds ``count_is_estimate`` (``count`` is the planner's estimate above
    10,000 rows), ``page`` (the page's number when known) and ``last`` (a link to the last
    page). ``?page=1`` … ``?page=10`` and ``?page=last`` are numbered; the links beyond carry
    a ``cursor`` (``after`` the row it names) or ``before``. ``?page_size=`` up to 200.

    A view sets ``keyset_key`` (the ordering column, descending, ties broken by id) and may
    define ``keyset_exact_count()``: an exact count it keeps (summary rows), or None."""

    page_size = 50
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        try:
            size = min(int(request.query_params.get("page_size", self.page_size)),
                       self.max_page_size)
        except ValueError:
            size = self.page_size
        self.request = request
        key = getattr(view, "keyset_key", "id")
        exact = getattr(view, "keyset_exact_count", lambda: None)()
        self.page = KeysetPaginator(queryset, key=key, per_page=max(size, 1),
                                    count=None if exact is None else Count(exact)).page(
            number=request.query_params.get("page"),
            after=request.query_params.get("cursor"),
            before=request.query_params.get("before"))
        return self.page.object_list

    def _link(self, **params):
        url = self.request.build_absolute_uri()
        for name in ("page", "cursor", "before"):
            url = remove_query_param(url, name)
        for name, value in params.items():
            url = replace_query_param(url, name, value)
        return url

    def get_paginated_response(self, data):
        page = self.page
        if page.next_number:
            next_link = self._link(page=page.next_number)
        elif page.next_cursor:
            next_link = self._link(cursor=page.next_cursor)
        else:
            next_link = None
        if page.previous_number:
            previous_link = self._link(page=page.previous_number)
        elif page.previous_cursor:
            previous_link = self._link(before=page.previous_cursor)
        else:
            previous_link = None
        return Response({
            "count": page.count.value,
            "count_is_estimate": page.count.estimated,
            "page": page.number,
            "next": next_link,
            "previous": previous_link,
            "last": None if page.is_last else self._link(page="last"),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "count_is_estimate": {"type": "boolean", "description": str(_(
                    "count 为估计值（约）时为 true"))},
                "page": {"type": "integer", "nullable": True},
                "next": link, "previous": link, "last": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def param(name, kind, description):
            return {"name": name, "required": False, "in": "query",
                    "description": description, "schema": {"type": kind}}
        return [
            param("page", "string", "1–10, or last"),
            param("cursor", "string", "the page after this cursor (from next)"),
            param("before", "string", "the page before this cursor (from previous)"),
            param("page_size", "integer", "up to 200"),
        ]
