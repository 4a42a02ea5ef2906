"""Reads in supervision, narrowed by the scope rule."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

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


def notice_list_for_user(*, user, filters: dict | None = None) -> QuerySet[SupervisionNotice]:
    """Notices of towns the user covers whole; otherwise those addressed to the user (as
    responsible person or leader in charge) or to a large grid the user covers."""
    scope = scope_for_user(user)
    qs = SupervisionNotice.objects.all()
    if not scope.is_global:
        mine = Q(town_id__in=scope.full_town_ids)
        if scope.staff_id:
            mine |= (Q(responsible_id=scope.staff_id) | Q(leader_in_charge_id=scope.staff_id)
                     | Q(issuer_id=scope.staff_id))
        if scope.covered_large_grid_ids:
            mine |= Q(target_large_grids__in=scope.covered_large_grid_ids)
        qs = qs.filter(mine).distinct() if not scope.is_empty else qs.none()
    qs = (with_overdue(qs).select_related("town", "leader_in_charge", "responsible", "issuer",
                                          "dispute", "petition")
          .prefetch_related("target_large_grids"))
    filters = filters or {}
    for name in ("kind", "state", "urgency"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("large_grid"):
        qs = qs.filter(target_large_grids=filters["large_grid"])
    if filters.get("issued_from"):
        qs = qs.filter(created_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        qs = qs.filter(created_at__date__lte=filters["issued_to"])
    if filters.get("overdue"):
        qs = qs.filter(overdue=True)
    return qs.order_by("-created_at", "-id")


def notice_get_for_user(*, user, pk: int) -> SupervisionNotice:
    return notice_list_for_user(user=user).get(pk=pk)


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
