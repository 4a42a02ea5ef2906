"""Who handles a case at each tier, found from the organisation.

grid member of the small grid → a mediator of the village committee (the chosen one, or the
least loaded) → the large grid's grid leader → the town committee chair.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from grid.models import MediationCommittee, Role, Staff
from grid.selectors import (
    case_committees,
    mediator_candidates,
    role_holder,
    role_holders,
    town_committee_ids,
)

from ..models import Dispute, DisputeState


def eligible_mediators(*, dispute, with_chairs: bool = False):
    """Mediators who may take the case (``grid.selectors.mediator_candidates``): its village
    committee's first, then the town committee's, the least loaded first; ``with_chairs``
    adds the committees' chairs (who may sign the agreement)."""
    large_grid_id = dispute.small_grid.large_grid_id
    staff_ids = mediator_candidates(town_id=dispute.town_id, large_grid_id=large_grid_id,
                                    with_chairs=with_chairs).values("id")
    # Subqueries, not two Count()s over two joins: joined together, each count is multiplied
    # by the other's rows, so "on the village committee" grew with cases ever handled and
    # outranked the open-case load.
    open_cases = (Dispute.objects.open().filter(handler=OuterRef("pk"))
                  .order_by().values("handler").annotate(n=Count("id")).values("n"))
    on_village = role_holders(
        role=Role.MEDIATOR,
        committee_id=MediationCommittee.objects.filter(large_grid_id=large_grid_id).values("id"),
    ).filter(staff=OuterRef("pk"))
    return (Staff.objects.filter(id__in=staff_ids)
            .annotate(open_cases=Coalesce(Subquery(open_cases), 0), on_village=Exists(on_village))
            .order_by("-on_village", "open_cases", "id"))


def handler_for(*, dispute, state: str, chosen_mediator: Staff | None = None) -> Staff | None:
    """The handler for ``dispute`` at tier ``state``; None when the post is vacant."""
    if state == DisputeState.GRID_MEMBER:
        return role_holder(role=Role.GRID_MEMBER, small_grid_id=dispute.small_grid_id)
    if state == DisputeState.MEDIATOR:
        candidates = eligible_mediators(dispute=dispute)
        if chosen_mediator is not None:
            if not candidates.filter(pk=chosen_mediator.pk).exists():
                raise ValidationError({"mediator": _("所选调解员不是本村或本镇调委会的调解员。")})
            return chosen_mediator
        return candidates.first()
    if state == DisputeState.GRID_LEADER:
        return role_holder(role=Role.GRID_LEADER, large_grid_id=dispute.small_grid.large_grid_id)
    if state == DisputeState.CHAIR:
        return role_holder(role=Role.COMMITTEE_CHAIR,
                           committee_id=town_committee_ids(town_id=dispute.town_id))
    return None


def signing_committee(*, dispute, staff: Staff) -> MediationCommittee | None:
    """The committee on whose behalf ``staff`` may sign the case's agreement: the village
    committee of the case's large grid, else the town committee, where ``staff`` holds a
    mediator or chair role today (人民调解法 第十三条、第二十九条); None when neither."""
    committees = case_committees(town_id=dispute.town_id,
                                 large_grid_id=dispute.small_grid.large_grid_id)
    held = role_holders(role=[Role.MEDIATOR, Role.COMMITTEE_CHAIR],
                        committee_id=committees.values("id")).filter(staff=staff)
    ids = set(held.values_list("committee_id", flat=True))
    # The village committee first: it mediated when its member signs.
    for committee in committees.order_by("-level"):
        if committee.pk in ids:
            return committee
    return None


def handlers_for_many(*, disputes, state_of) -> dict[int, Staff | None]:
    """``handler_for`` for many cases at once, in a fixed number of queries: {dispute id: the
    handler at tier ``state_of(dispute)``}. The same rule as ``handler_for`` (no mediator
    chosen): the first appointed holder of the post, and for a mediator the village
    committee's least loaded, then the town committee's; ``tests`` check that they agree."""
    disputes = [d for d in disputes if state_of(d)]
    wanted = {state_of(d) for d in disputes}
    small = {d.small_grid_id for d in disputes}
    large = {d.small_grid.large_grid_id for d in disputes}
    towns = {d.town_id for d in disputes}
    first: dict = {}

    def keep(key, staff):
        first.setdefault(key, staff)

    if DisputeState.GRID_MEMBER in wanted:
        for a in role_holders(role=Role.GRID_MEMBER, small_grid_id=small).select_related(
                "staff__user"):
            keep(("gm", a.small_grid_id), a.staff)
    if DisputeState.GRID_LEADER in wanted:
        for a in role_holders(role=Role.GRID_LEADER, large_grid_id=large).select_related(
                "staff__user"):
            keep(("gl", a.large_grid_id), a.staff)
    if DisputeState.CHAIR in wanted:
        committees = MediationCommittee.objects.filter(
            town_id__in=towns, level=MediationCommittee.Level.TOWN).values("id")
        for a in role_holders(role=Role.COMMITTEE_CHAIR, committee_id=committees
                              ).select_related("staff__user", "committee"):
            keep(("chair", a.committee.town_id), a.staff)
    if DisputeState.MEDIATOR in wanted:
        committees = MediationCommittee.objects.filter(
            Q(large_grid_id__in=large) | Q(level=MediationCommittee.Level.TOWN,
                                           town_id__in=towns)).values("id")
        holders = list(role_holders(role=Role.MEDIATOR, committee_id=committees)
                       .select_related("staff__user", "committee"))
        load = dict(Dispute.objects.open().filter(handler_id__in={a.staff_id for a in holders})
                    .order_by().values("handler").annotate(n=Count("id"))
                    .values_list("handler", "n"))
        for a in sorted(holders, key=lambda a: (load.get(a.staff_id, 0), a.staff_id)):
            c = a.committee
            key = ("med-village", c.large_grid_id) if c.large_grid_id else ("med-town", c.town_id)
            keep(key, a.staff)
    result = {}
    for d in disputes:
        state = state_of(d)
        if state == DisputeState.GRID_MEMBER:
            result[d.pk] = first.get(("gm", d.small_grid_id))
        elif state == DisputeState.MEDIATOR:
            result[d.pk] = (first.get(("med-village", d.small_grid.large_grid_id))
                            or first.get(("med-town", d.town_id)))
        elif state == DisputeState.GRID_LEADER:
            result[d.pk] = first.get(("gl", d.small_grid.large_grid_id))
        elif state == DisputeState.CHAIR:
            result[d.pk] = first.get(("chair", d.town_id))
    return result
