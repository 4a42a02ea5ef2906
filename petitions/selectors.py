"""Reads of petitions for a user: the scope rule applies before anything else."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from grid import scope as scope_rule

from .models import Petition, PetitionKind, PetitionQuerySet


def _base(user) -> QuerySet[Petition]:
    return scope_rule.filter_small_grids(Petition.objects.all(), user, path="small_grid_id")


def with_flags(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    """Computed, never typed: overdue (accept, reply, review answer), skip-level and a repeat
    to a higher level (by the petitions' own predicates, ``PetitionQuerySet``)."""
    today = timezone.localdate()
    return qs.annotate(
        accept_overdue=_flag(PetitionQuerySet.accept_due_before_q(today)),
        reply_overdue=_flag(PetitionQuerySet.reply_due_before_q(today)),
        review_overdue=_flag(PetitionQuerySet.review_due_before_q(today)),
        overdue=_flag(PetitionQuerySet.overdue_q(today)),
        skip_level=_flag(PetitionQuerySet.skip_level_q()),
        repeat_to_higher=_flag(PetitionQuerySet.repeat_to_higher_q()),
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def apply_filters(qs: QuerySet[Petition], filters: dict) -> QuerySet[Petition]:
    if filters.get("received_from"):
        qs = qs.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_on__lte=filters["received_to"])
    if filters.get("large_grid"):
        qs = qs.filter(small_grid__large_grid=filters["large_grid"])
    if filters.get("small_grid"):
        qs = qs.filter(small_grid=filters["small_grid"])
    for name in ("kind", "form", "state"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("overdue") in (True, "true", "1"):
        qs = qs.filter(overdue=True)
    if filters.get("repeat") in (True, "true", "1"):
        qs = qs.filter(repeat_of__isnull=False)
    if filters.get("group") in (True, "true", "1"):
        qs = qs.group()
    if filters.get("skip_level") in (True, "true", "1"):
        qs = qs.filter(skip_level=True)
    if filters.get("undelivered") in (True, "true", "1"):
        qs = qs.filter(PetitionQuerySet.undelivered_q())
    if filters.get("q"):
        # Searching by petitioner name must not reveal who filed a confidential accusation.
        q = filters["q"]
        qs = qs.filter(Q(number__icontains=q) | Q(subject__icontains=q)
                       | Q(national_number__icontains=q) | Q(query_code=q.strip().upper())
                       | (Q(petitioners__name__icontains=q)
                          & ~Q(kind=PetitionKind.ACCUSATION))).distinct()
    return qs


def petition_list_for_user(*, user, filters: dict | None = None) -> QuerySet[Petition]:
    qs = (with_flags(_base(user))
          .select_related("town", "small_grid", "small_grid__large_grid", "handler",
                          "proxy_agent", "docked_dispute")
          .prefetch_related("petitioners"))
    return apply_filters(qs, filters or {})


def petition_get_for_user(*, user, pk: int) -> Petition:
    return (with_flags(_base(user))
            .select_related("town", "small_grid", "small_grid__large_grid", "handler",
                            "proxy_agent", "coordinator", "extension_approver", "created_by",
                            "extension_requested_by",
                            "docked_dispute", "repeat_of", "source_dispute")
            .get(pk=pk))


def petition_queue_for_user(*, user) -> QuerySet[Petition]:
    """Open petitions on the user's desk: where they are the handler or proxy agent, or the
    coordinator of a county matter. Earliest due first."""
    staff_id = scope_rule.scope_for_user(user).staff_id
    if staff_id is None:
        return Petition.objects.none()
    return (with_flags(_base(user)).open()
            .filter(Q(handler_id=staff_id) | Q(proxy_agent_id=staff_id)
                    | Q(coordinator_id=staff_id))
            .select_related("small_grid", "small_grid__large_grid")
            .order_by("accept_due", "reply_due", "id"))


def petition_history(*, petition: Petition):
    return petition.events.select_related("actor", "handler").order_by("created_at", "id")
