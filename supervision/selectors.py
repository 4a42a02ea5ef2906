"""Reads in supervision, narrowed by the scope rule."""

from __future__ import annotations

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from core.keyset import Count, count_rows
from core.rows import prefetch_named
from grid.models import Role
from grid.scope import scope_for_user

from .models import (
    ResponsibilityTrace,
    RiskAssessment,
    SupervisionNotice,
    SupervisionNoticeQuerySet,
)


def lead_town_for_user(*, user):
    """The town whose leadership this user belongs to (the first, for an administrator: any
    town), for issuing notices and assessing; None for everyone else."""
    from grid.models import Town

    scope = scope_for_user(user)
    qs = Town.objects.order_by("id")
    if not scope.is_global:
        qs = qs.filter(id__in=scope.held.get(Role.TOWN_LEADERSHIP, []))
    return qs.first()


def with_overdue(qs: QuerySet[SupervisionNotice]) -> QuerySet[SupervisionNotice]:
    """Annotate ``overdue``: past the deadline without a verified result."""
    return qs.annotate(overdue=Case(
        When(SupervisionNoticeQuerySet.overdue_q(timezone.now()), then=Value(True)),
        default=Value(False), output_field=BooleanField()))


def _notice_scope(user) -> QuerySet[SupervisionNotice]:
    """Notices of towns the user covers whole; otherwise those addressed to the user (as
    responsible person or leader in charge) or to a large grid the user covers. The large
    grids are matched through the link table's own rows (``pk IN``), so no join multiplies a
    notice and the list needs no DISTINCT: its order stays served by the (column, id) index."""
    scope = scope_for_user(user)
    qs = SupervisionNotice.objects.all()
    if scope.is_global:
        return qs
    if scope.is_empty:
        return qs.none()
    mine = Q(town_id__in=scope.full_town_ids)
    if scope.staff_id:
        mine |= (Q(responsible_id=scope.staff_id) | Q(leader_in_charge_id=scope.staff_id)
                 | Q(issuer_id=scope.staff_id))
    if scope.covered_large_grid_ids:
        mine |= Q(pk__in=_addressed_to(scope.covered_large_grid_ids))
    return qs.filter(mine)


def _addressed_to(large_grid_ids) -> QuerySet:
    """The ids of the notices addressed to any of ``large_grid_ids``."""
    links = SupervisionNotice.target_large_grids.through.objects
    return links.filter(largegrid_id__in=large_grid_ids).values("supervisionnotice_id")


def _apply_filters(qs: QuerySet[SupervisionNotice], filters: dict) -> QuerySet[SupervisionNotice]:
    for name in ("kind", "state", "urgency"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("large_grid"):
        large_grid = filters["large_grid"]
        qs = qs.filter(pk__in=_addressed_to([getattr(large_grid, "pk", large_grid)]))
    if filters.get("issued_from"):
        qs = qs.filter(created_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        qs = qs.filter(created_at__date__lte=filters["issued_to"])
    if filters.get("overdue"):
        qs = qs.filter(SupervisionNoticeQuerySet.overdue_q(timezone.now()))
    return qs


def notice_list_for_user(*, user, filters: dict | None = None) -> QuerySet[SupervisionNotice]:
    """The user's notices (``_notice_scope``) with everything a notice's page shows."""
    # Not the case it may be about (a list shows its id; ``notice_get_for_user`` reads it):
    # with it, seven tables joined cost PostgreSQL 6 ms to plan.
    qs = (with_overdue(_notice_scope(user))
          .select_related("town", "leader_in_charge", "responsible", "issuer")
          .prefetch_related("target_large_grids"))
    return _apply_filters(qs, filters or {}).order_by("-created_at", "-id")


# What a row of the notice ledger shows (``supervision.exports.ledger_rows``), and nothing more:
# the notice's own columns, its two people's names as plain values (no related instance a
# row); its villages are read for a page's ids by ``ledger_rows``.
LEDGER_FIELDS = ("pk", "town_id", "kind", "number", "title", "target_offices", "measures",
                 "deadline", "state", "created_at")
LEDGER_NAMES = {"row_leader_name": "leader_in_charge__name",
                "row_responsible_name": "responsible__name"}


def notice_ledger_for_user(*, user, filters: dict | None = None
                           ) -> QuerySet[SupervisionNotice]:
    """The notice ledger (page, export): the same notices as ``notice_list_for_user``, as
    plain rows (named tuples) of only the columns a row shows, the names of ``LEDGER_NAMES``
    and ``overdue``: no model instance a row."""
    qs = _apply_filters(with_overdue(_notice_scope(user)), filters or {})
    return (qs.annotate(**{name: F(path) for name, path in LEDGER_NAMES.items()})
            .order_by("-created_at", "-id")
            .values_list(*LEDGER_FIELDS, *LEDGER_NAMES, "overdue", named=True))


def notice_ledger_count(*, user, filters: dict | None = None) -> Count:
    """How many notices the ledger lists for ``filters`` (``core.keyset.count_rows``),
    counted without the rows' names: their joins would be read for every row counted."""
    return count_rows(_apply_filters(_notice_scope(user), filters or {}))


def ledger_export_file(*, user, query: str, progress=None):
    """The notice ledger for ``query`` (the page's query string) in the user's scope, in its
    order, as a rewound .xlsx temporary file and its name: the worker's half of a large
    export."""
    from core.export_jobs import ledger_export_file as export_file

    from .exports import LEDGER_SORTS, ledger_xlsx_file
    from .forms import NoticeFilterForm

    return export_file(user=user, query=query, form_class=NoticeFilterForm,
                       rows_for=notice_ledger_for_user, sorts=LEDGER_SORTS,
                       write=ledger_xlsx_file, name="notice-ledger", progress=progress)


def notice_get_for_user(*, user, pk: int) -> SupervisionNotice:
    """One notice with the case or petition it is about (a query only for the one named)."""
    notice = notice_list_for_user(user=user).get(pk=pk)
    prefetch_named([notice], "dispute", "petition")
    return notice


def notice_queue_for_user(*, user) -> QuerySet[SupervisionNotice]:
    """Notices waiting on the user: to acknowledge, work or report, or to verify."""
    staff_id = scope_for_user(user).staff_id
    if staff_id is None:
        return SupervisionNotice.objects.none()
    return (with_overdue(SupervisionNotice.objects.filter(handler_id=staff_id))
            .open().order_by("deadline"))


def pending_assessments_for_user(*, user) -> QuerySet[RiskAssessment]:
    scope = scope_for_user(user)
    towns = [t for t in scope.held.get(Role.TOWN_LEADERSHIP, [])]
    qs = RiskAssessment.objects.filter(assessed_at__isnull=True)
    if not scope.is_global:
        qs = qs.filter(town_id__in=towns)
    return qs.select_related("dispute", "petition", "report").order_by("created_at")


def assessment_list_for_user(*, user) -> QuerySet[RiskAssessment]:
    scope = scope_for_user(user)
    qs = RiskAssessment.objects.select_related("dispute", "petition", "report", "assessor")
    if not scope.is_global:
        qs = qs.filter(town_id__in=scope.held.get(Role.TOWN_LEADERSHIP, []))
    return qs.order_by("-created_at")


def trace_list_for_user(*, user) -> QuerySet[ResponsibilityTrace]:
    """Tracing records: town leadership only."""
    scope = scope_for_user(user)
    qs = ResponsibilityTrace.objects.select_related("notice", "dispute", "petition",
                                                    "responsible", "leader", "town")
    if not scope.is_global:
        qs = qs.filter(town_id__in=scope.held.get(Role.TOWN_LEADERSHIP, []))
    return qs.order_by("-opened_at")
