"""Reads of the organisation, always narrowed by the scope rule (``grid.scope``)."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from . import scope as scope_rule
from .models import (
    GRID_STAFF_ROLES,
    GovernanceCentre,
    LargeGrid,
    MediationCommittee,
    Role,
    RoleAssignment,
    Room,
    ServiceWindow,
    SmallGrid,
    Staff,
    Town,
)

# The keys of the town summary, in the order of issue #2, §6.
SUMMARY_KEYS = (
    "large_grids",
    "small_grids",
    "committees",
    "centres",
    "service_windows",
    "rooms",
    "governance_office_staff",
    "judicial_office_staff",
    "grid_staff",
    "five_elders_mediators",
)


def town_list_for_user(*, user) -> QuerySet[Town]:
    return scope_rule.filter_towns(Town.objects.select_related("county"), user)


def large_grid_list_for_user(*, user, town_id: int | None = None) -> QuerySet[LargeGrid]:
    qs = LargeGrid.objects.select_related("town").annotate(
        small_grid_count=Count("small_grids", distinct=True))
    if town_id is not None:
        qs = qs.filter(town_id=town_id)
    # An aggregate drops Meta.ordering: order explicitly, so that pages are stable.
    return scope_rule.filter_large_grids(qs, user).order_by("town_id", "number")


def small_grid_list_for_user(*, user, large_grid_id: int | None = None) -> QuerySet[SmallGrid]:
    qs = SmallGrid.objects.select_related("large_grid", "large_grid__town")
    if large_grid_id is not None:
        qs = qs.filter(large_grid_id=large_grid_id)
    return scope_rule.filter_small_grids(qs, user)


def committee_list_for_user(*, user, town_id: int | None = None) -> QuerySet[MediationCommittee]:
    qs = MediationCommittee.objects.select_related("town", "large_grid")
    if town_id is not None:
        qs = qs.filter(town_id=town_id)
    return scope_rule.filter_committees(qs, user)


def centre_list_for_user(*, user, town_id: int | None = None) -> QuerySet[GovernanceCentre]:
    qs = GovernanceCentre.objects.select_related("town", "large_grid").annotate(
        window_count=Count("windows", distinct=True), room_count=Count("rooms", distinct=True))
    if town_id is not None:
        qs = qs.filter(town_id=town_id)
    # An aggregate drops Meta.ordering: order explicitly, so that pages are stable.
    return scope_rule.filter_centres(qs, user).order_by("town_id", "id")


def assignment_list_for_user(*, user) -> QuerySet[RoleAssignment]:
    """Assignments in force that the user may see, with everything a list shows."""
    qs = RoleAssignment.objects.active().select_related(
        "staff", "county", "town", "committee", "large_grid", "small_grid",
        "small_grid__large_grid", "household")
    return scope_rule.filter_assignments(qs, user)


def staff_list_for_user(*, user) -> QuerySet[Staff]:
    """Staff the user may see, each with the assignments in force the user may see."""
    visible = assignment_list_for_user(user=user).order_by("role", "id")
    qs = Staff.objects.select_related("town", "user").prefetch_related(
        Prefetch("assignments", queryset=visible, to_attr="visible_assignments"))
    return scope_rule.filter_staff(qs, user)


def _town_assignments_q(town_id: int) -> Q:
    return (
        Q(town_id=town_id)
        | Q(committee__town_id=town_id)
        | Q(large_grid__town_id=town_id)
        | Q(small_grid__large_grid__town_id=town_id)
        | Q(household__small_grid__large_grid__town_id=town_id)
    )


class _SubqueryCount(Subquery):
    """``(SELECT COUNT(DISTINCT c) FROM (subquery))``: a correlated count beside other columns."""

    template = "(SELECT COUNT(DISTINCT _counted.c) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count(qs: QuerySet, of: str = "pk") -> _SubqueryCount:
    return _SubqueryCount(qs.order_by().values(c=F(of)))


def town_summary_annotations() -> dict:
    """Annotations ``summary_<key>`` for ``Town`` querysets: every figure in one query."""
    town = OuterRef("pk")
    active = RoleAssignment.objects.active()
    figures = {
        "large_grids": _count(LargeGrid.objects.filter(town_id=town)),
        "small_grids": _count(SmallGrid.objects.filter(large_grid__town_id=town)),
        "committees": _count(MediationCommittee.objects.filter(town_id=town)),
        "centres": _count(GovernanceCentre.objects.filter(town_id=town)),
        "service_windows": _count(ServiceWindow.objects.filter(centre__town_id=town)),
        "rooms": _count(Room.objects.filter(centre__town_id=town)),
        "governance_office_staff": _count(
            active.filter(role=Role.GOVERNANCE_OFFICE, town_id=town), of="staff_id"),
        "judicial_office_staff": _count(
            active.filter(role=Role.JUDICIAL_OFFICE, town_id=town), of="staff_id"),
        "grid_staff": _count(
            active.filter(Q(role__in=GRID_STAFF_ROLES)
                          & (Q(large_grid__town_id=town) | Q(small_grid__large_grid__town_id=town))),
            of="staff_id"),
        "five_elders_mediators": _count(
            active.filter(role=Role.MEDIATOR, is_five_elders=True, committee__town_id=town),
            of="staff_id"),
    }
    return {f"summary_{key}": value for key, value in figures.items()}


def town_summary(*, town: Town) -> dict[str, int]:
    """The town's organisation in figures (issue #2, §6), counted in one SQL query."""
    row = Town.objects.filter(pk=town.pk).annotate(**town_summary_annotations()).values(
        *(f"summary_{key}" for key in SUMMARY_KEYS)).get()
    return {key: int(row[f"summary_{key}"]) for key in SUMMARY_KEYS}


def town_staff_by_role(*, town: Town) -> list[dict]:
    """Distinct people per role in the town, in the order of ``Role``."""
    rows = dict(
        RoleAssignment.objects.active().filter(_town_assignments_q(town.pk))
        .values("role").annotate(n=Count("staff_id", distinct=True)).values_list("role", "n")
    )
    return [{"role": role, "label": role.label, "count": rows.get(role.value, 0)}
            for role in Role if rows.get(role.value)]


def town_five_elders_by_kind(*, town: Town) -> list[dict]:
    rows = (RoleAssignment.objects.active()
            .filter(role=Role.MEDIATOR, is_five_elders=True, committee__town_id=town.pk)
            .values("elder_kind").annotate(n=Count("staff_id", distinct=True))
            .order_by("elder_kind"))
    labels = dict(RoleAssignment._meta.get_field("elder_kind").choices)
    return [{"kind": r["elder_kind"], "label": labels.get(r["elder_kind"], ""), "count": r["n"]}
            for r in rows]
