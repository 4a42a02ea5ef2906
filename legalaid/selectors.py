"""Reads of legal aid, consultations, publicity and the units' figures for a user: the scope
rule (``grid.scope``) applies before anything else."""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)

from disputes.models import Dispute, DisputeQuerySet
from grid import scope as scope_rule
from grid.models import ServiceUnit, Town
from grid.selectors import staff_for_user

from .models import Consultation, LegalAidMatter, PublicityEvent
from .states import LegalAidState


def matter_list_for_user(*, user, filters: dict | None = None) -> QuerySet[LegalAidMatter]:
    """The legal-aid ledger: matters of the user's small grids and of the user's unit."""
    qs = (scope_rule.filter_cases(LegalAidMatter.objects.all(), user,
                                  small_grid_path="small_grid_id", unit_path="unit_id")
          # The grid and the optional links are joined, the town (always set) comes in a
          # query of its own: joined, eight tables cost PostgreSQL 24 ms to plan. The
          # optional ones stay joined so that a page's queries do not depend on its rows.
          .select_related("small_grid__large_grid", "unit", "handler", "dispute", "petition")
          .prefetch_related("town"))
    filters = filters or {}
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("priority"):
        qs = qs.exclude(applicant_group="")
    return qs


def matter_get_for_user(*, user, pk: int) -> LegalAidMatter:
    """One matter; ``LegalAidMatter.DoesNotExist`` outside the scope."""
    return matter_list_for_user(user=user).prefetch_related("created_by").get(pk=pk)


def consultation_list_for_user(*, user) -> QuerySet[Consultation]:
    return (scope_rule.filter_town_records(Consultation.objects.all(), user, town_path="town_id",
                                           large_grid_path="large_grid_id", unit_path="unit_id")
            .select_related("large_grid", "unit", "advised_by"))


def publicity_list_for_user(*, user) -> QuerySet[PublicityEvent]:
    return (scope_rule.filter_town_records(PublicityEvent.objects.all(), user,
                                           town_path="town_id", large_grid_path="large_grid_id",
                                           unit_path="unit_id")
            .select_related("large_grid", "unit").prefetch_related("staff"))


def recording_town_for_user(*, user) -> Town | None:
    """The town a user records consultations and publicity in: that of their staff row."""
    staff = staff_for_user(user=user)
    return staff.town if staff is not None and staff.town_id else None


def units_for_user(*, user) -> QuerySet[ServiceUnit]:
    return scope_rule.filter_units(ServiceUnit.objects.select_related("town", "room"), user)


def unit_figures(*, units, start: datetime.datetime | None = None,
                 end: datetime.datetime | None = None) -> list[dict]:
    """Per unit: disputes assigned, resolved and the mean days from finding to resolution;
    legal-aid matters and those concluded; consultations and publicity events (with their
    audience). Between ``start`` and ``end`` when given (disputes by the day found, the rest
    by their own day). A fixed number of queries whatever the units."""
    units = list(units)
    ids = [u.pk for u in units]
    found = Q()
    aid_on, consulted, held = Q(), Q(), Q()
    if start is not None and end is not None:
        found = Q(found_at__gte=start, found_at__lt=end)
        aid_on = Q(applied_on__gte=start.date(), applied_on__lt=end.date())
        consulted = Q(consulted_on__gte=start.date(), consulted_on__lt=end.date())
        held = Q(held_on__gte=start.date(), held_on__lt=end.date())
    days = ExpressionWrapper(F("resolved_at") - F("found_at"), output_field=DurationField())
    disputes = {r["unit_id"]: r for r in Dispute.objects.counted().filter(found, unit_id__in=ids)
                .values("unit_id").order_by().annotate(
                    cases=Count("id"), resolved=Count("id", filter=DisputeQuerySet.resolved_q()),
                    mean=Avg(days, filter=DisputeQuerySet.resolved_q()))}
    matters = {r["unit_id"]: r for r in LegalAidMatter.objects.counted().filter(
        aid_on, unit_id__in=ids).values("unit_id").order_by().annotate(
        matters=Count("id"), concluded=Count("id", filter=Q(state=LegalAidState.CONCLUDED)))}
    consultations = dict(Consultation.objects.filter(consulted, unit_id__in=ids)
                         .values("unit_id").order_by().annotate(n=Count("id"))
                         .values_list("unit_id", "n"))
    publicity = {r["unit_id"]: r for r in PublicityEvent.objects.filter(held, unit_id__in=ids)
                 .values("unit_id").order_by().annotate(events=Count("id"),
                                                       audience=Sum("audience"))}
    rows = []
    for unit in units:
        d = disputes.get(unit.pk, {})
        m = matters.get(unit.pk, {})
        mean = d.get("mean")
        rows.append({
            "unit": unit, "id": unit.pk, "name": unit.name, "kind": unit.get_kind_display(),
            "cases": d.get("cases", 0), "resolved": d.get("resolved", 0),
            "mean_days": round(mean.total_seconds() / 86400, 1) if mean else None,
            "legal_aid": m.get("matters", 0), "legal_aid_concluded": m.get("concluded", 0),
            "consultations": consultations.get(unit.pk, 0),
            "publicity": publicity.get(unit.pk, {}).get("events", 0),
            "audience": publicity.get(unit.pk, {}).get("audience") or 0,
        })
    return rows
