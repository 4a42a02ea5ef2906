"""Reads of the organisation, always narrowed by the scope rule (``grid.scope``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_
from types import MappingProxyType

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from . import scope as scope_rule
from .models import (
    GRID_STAFF_ROLES,
    LEADER_IN_CHARGE_ROLES,
    TOWN_ROLES,
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

# The keys of the town summary, in the order the town page and the API show them.
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


def grid_filter_choices_for_user(*, user) -> tuple[QuerySet[LargeGrid], QuerySet[SmallGrid]]:
    """The large and small grids a ledger's filter offers: only what an option shows (a
    county user's filter lists 480 small grids on every ledger page)."""
    large = scope_rule.filter_large_grids(
        LargeGrid.objects.only("id", "town_id", "number", "name"), user)
    small = scope_rule.filter_small_grids(
        SmallGrid.objects.only("id", "name", "large_grid_id", "number"), user)
    return large, small


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
        "small_grid__large_grid", "household", "unit")
    return scope_rule.filter_assignments(qs, user)


# What an assignment is held over: one of these kinds (the path fetches what its name shows).
HELD_OVER = {"county": "county", "town": "town", "committee": "committee",
             "large_grid": "large_grid", "small_grid": "small_grid__large_grid",
             "household": "household", "unit": "unit"}


def own_assignments(*, user) -> tuple[RoleAssignment, ...]:
    """The user's own assignments in force (the home page's 我的职责): what the user holds is
    where the scope comes from, so it needs no scope filter of its own. Kept while the
    organisation and the day are unchanged (``grid.scope.organisation_kept``): the home
    page shows them at every visit; the instances are shared, read only."""
    staff_id = scope_rule.scope_for_user(user).staff_id
    if staff_id is None:
        return ()
    return scope_rule.organisation_kept("own_assignments", (staff_id,),
                                        lambda: tuple(_own_assignments(staff_id)))


def _own_assignments(staff_id: int) -> list[RoleAssignment]:
    # The object each is held over is one of seven kinds: fetched per kind in use rather than
    # joined (a nine-table join costs PostgreSQL several milliseconds to plan), and only the
    # kinds in use are prefetched (each lookup costs Django's prefetch its setup, rows or not).
    assignments = list(RoleAssignment.objects.active().filter(staff_id=staff_id)
                       .select_related("staff"))
    prefetch_related_objects(assignments, *[
        path for kind, path in HELD_OVER.items()
        if any(getattr(a, f"{kind}_id") is not None for a in assignments)])
    return assignments


def town_rows_for_user(*, user) -> tuple[Town, ...]:
    """The towns of ``town_list_for_user``, with their county, kept while the organisation
    and the day are unchanged: a function of the scope's towns, so kept by those (users
    with the same towns share the entry)."""
    scope = scope_rule.scope_for_user(user)
    ids = "all" if scope.is_global else tuple(sorted(scope.town_ids))
    return scope_rule.organisation_kept("town_rows", (ids,),
                                        lambda: tuple(town_list_for_user(user=user)))


def large_grid_rows_held_apart(*, user) -> tuple[LargeGrid, ...]:
    """The large grids the user is responsible for outside the towns they cover whole (the
    home page's 我负责的大网格), each with ``small_grid_count``; kept like
    ``town_rows_for_user``, by the scope's parts it depends on."""
    scope = scope_rule.scope_for_user(user)
    if scope.is_global:
        return ()
    # What the query below selects depends on these two sets only.
    key = (tuple(sorted(scope.covered_large_grid_ids & scope.large_grid_ids)),
           tuple(sorted(scope.full_town_ids)))
    return scope_rule.organisation_kept("large_grids_held_apart", key, lambda: tuple(
        large_grid_list_for_user(user=user).filter(id__any_of=scope.covered_large_grid_ids)
        .exclude(town_id__any_of=scope.full_town_ids)))


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
    """The town's organisation in figures, counted in one SQL query."""
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


# ---------------------------------------------------------------------------
# Who holds which post. Routing, alerts, tracing, notifications and the petition services ask
# these, not the assignments table.
# ---------------------------------------------------------------------------

def _over(field: str, ids) -> Q:
    """``field`` equal to one id, or in several (a list, a set or a subquery)."""
    if isinstance(ids, int):
        return Q(**{field: ids})
    return Q(**{f"{field}__in": ids})


def role_holders(*, role: str | Iterable[str], town_id=None, committee_id=None,
                 large_grid_id=None, small_grid_id=None, unit_id=None,
                 on=None) -> QuerySet[RoleAssignment]:
    """Assignments in force (today, or ``on``) of ``role`` (one role or several) held over
    the object given: exactly one of ``town_id``, ``committee_id``, ``large_grid_id``,
    ``small_grid_id``, ``unit_id``, each an id or several ids. The role must be one scoped to that kind of
    object (``ROLE_SCOPE_FIELD``): a grid leader over a large grid, the chair over a committee.

    Earliest appointment first, with the staff row loaded. Raises ``TypeError`` unless exactly
    one object is given.
    """
    over = {"town_id": town_id, "committee_id": committee_id,
            "large_grid_id": large_grid_id, "small_grid_id": small_grid_id,
            "unit_id": unit_id}
    given = [(field, ids) for field, ids in over.items() if ids is not None]
    if len(given) != 1:
        raise TypeError("role_holders() takes exactly one of " + ", ".join(over))
    roles = Q(role=role) if isinstance(role, str) else Q(role__in=list(role))
    return (RoleAssignment.objects.active(on).filter(roles, _over(*given[0]))
            .select_related("staff").order_by("starts_on", "id"))


def role_holder(*, role: str | Iterable[str], **over) -> Staff | None:
    """The first appointed holder of ``role`` over the object (see ``role_holders``), or
    None when the post is vacant."""
    assignment = role_holders(role=role, **over).first()
    return assignment.staff if assignment else None


def holder_users(*assignments: QuerySet[RoleAssignment]):
    """The active logins of the people holding any of ``assignments`` (querysets from
    ``role_holders``), each once: whom to notify."""
    held = reduce(or_, (Q(staff__id__in=a.values("staff_id")) for a in assignments))
    return get_user_model().objects.filter(held, is_active=True)


def town_committee_ids(*, town_id: int) -> QuerySet[MediationCommittee]:
    """The town's own committee (镇调委会), as a subquery of ids for ``committee_id=``."""
    return MediationCommittee.objects.filter(
        town_id=town_id, level=MediationCommittee.Level.TOWN).values("id")


def leadership_users(*, town_id: int):
    """The logins of the town's leadership (镇领导), for urgent and tracing notifications."""
    return holder_users(role_holders(role=Role.TOWN_LEADERSHIP, town_id=town_id))


def leaders_in_charge(*, large_grid_ids) -> dict[int, list[str]]:
    """三包: the names of the Party committee member (包片) and section-level leader (包村) of
    each large grid. Every ledger page names them: they are kept while the organisation is
    unchanged, for all large grids in one entry read by one query (kept per page's own set of
    grids, a county's pages would each add an entry and a query, and crowd out the scopes)."""
    kept = scope_rule.organisation_kept("leaders_in_charge", (), _leaders_in_charge)
    return {grid: list(kept[grid]) for grid in set(large_grid_ids) if grid in kept}


def _leaders_in_charge() -> MappingProxyType:
    # The names only, as values: no staff row (nor its encrypted phone) loaded. The same
    # assignments as role_holders(role=LEADER_IN_CHARGE_ROLES, large_grid_id=...) gives.
    rows = (RoleAssignment.objects.active()
            .filter(role__in=list(LEADER_IN_CHARGE_ROLES), large_grid__isnull=False)
            .order_by("role", "staff__name").values_list("large_grid_id", "staff__name"))
    result: dict[int, list[str]] = defaultdict(list)
    for large_grid_id, name in rows:
        result[large_grid_id].append(name)
    return MappingProxyType({grid: tuple(names) for grid, names in result.items()})


def leaders_in_charge_users(*, large_grid_id: int):
    """The logins of the large grid's leaders in charge (三包), for overdue alerts."""
    return holder_users(role_holders(role=LEADER_IN_CHARGE_ROLES, large_grid_id=large_grid_id))


def staff_for_user(*, user) -> Staff | None:
    """The acting user's own staff row (工作人员), or None for a login without one: who
    issues, assesses, reports or visits when that user acts."""
    if user is None or not user.is_authenticated:
        return None
    return Staff.objects.filter(user_id=user.pk).first()


def staff_of_town(*, town_id: int) -> QuerySet[Staff]:
    """Staff of the town (本镇工作人员): people whose staff row belongs to it. A case names only
    these where it names a person of its town: an agreement's mediator, a follow-up's
    visitor, a notice's leader in charge and responsible person."""
    return Staff.objects.filter(town_id=town_id)


def town_cadres(*, town_id: int) -> QuerySet[Staff]:
    """Town cadres (镇级干部): staff of the town holding a town-level post in force today (an
    office, leadership) or a seat on the town committee; a county matter's coordinator (镇级专人)
    is one of them."""
    posts = (role_holders(role=TOWN_ROLES, town_id=town_id)
             | role_holders(role=(Role.COMMITTEE_CHAIR, Role.MEDIATOR),
                            committee_id=town_committee_ids(town_id=town_id)))
    return staff_of_town(town_id=town_id).filter(id__in=posts.values("staff_id"))


# 人民调解法 第八条: a committee has three to nine members, one of them its chair, and has
# a woman member.
COMMITTEE_MIN_MEMBERS = 3
COMMITTEE_MAX_MEMBERS = 9


def committee_composition_warnings(*, members) -> list[str]:
    """What the committee's membership lacks under 人民调解法 第八条, from its assignments in
    force (``members``: chair and mediator rows with their staff loaded; a person holding
    both counts once). An empty list when it complies."""
    from django.utils.translation import gettext as _

    people = {a.staff_id: a.staff for a in members}
    warnings = []
    if len(people) < COMMITTEE_MIN_MEMBERS:
        warnings.append(_("委员只有 %(n)s 人，少于 3 人（人民调解法第八条：由委员三至九人组成）。")
                        % {"n": len(people)})
    if len(people) > COMMITTEE_MAX_MEMBERS:
        warnings.append(_("委员有 %(n)s 人，多于 9 人（人民调解法第八条：由委员三至九人组成）。")
                        % {"n": len(people)})
    if not any(p.gender == Staff.Gender.FEMALE for p in people.values()):
        warnings.append(_("没有妇女成员（人民调解法第八条：人民调解委员会应当有妇女成员）。"))
    return warnings


# --- Choices: what an incoming id may name (API input, admin choices) --------------------------

def small_grid_choices_for_user(*, user) -> QuerySet[SmallGrid]:
    return scope_rule.filter_small_grids(SmallGrid.objects.all(), user)


def large_grid_choices_for_user(*, user) -> QuerySet[LargeGrid]:
    return scope_rule.filter_large_grids(LargeGrid.objects.all(), user)


def unit_choices_for_user(*, user):
    """The service units (legal-service office, five-elders studio) the user may pick."""
    from .models import ServiceUnit

    return scope_rule.filter_units(ServiceUnit.objects.all(), user)


def staff_choices_for_user(*, user) -> QuerySet[Staff]:
    return scope_rule.filter_staff(Staff.objects.all(), user)


def personal_data_accesses_for_user(*, user):
    """Who looked at or exported personal data: the town leadership's access log (an
    administrator sees every town's); nobody else's list holds rows."""
    from core.models import PersonalDataAccess

    scope = scope_rule.scope_for_user(user)
    qs = PersonalDataAccess.objects.select_related("user", "user__staff")
    if scope.is_global:
        return qs
    return qs.filter(town_id__in=scope.held.get(Role.TOWN_LEADERSHIP, frozenset()))


# --- Who may hold a part (the staff pickers) -------------------------------------------------

def leader_in_charge_candidates(*, town_id: int) -> QuerySet[Staff]:
    """Who may be a notice's leader in charge (定领导：包抓领导): the town leadership and the
    leaders in charge of its large grids (三包: 包片 Party committee members, 包村 section-level
    leaders), posts in force today. The one place of the rule: the picker offers these and
    ``supervision.services.notice_issue`` refuses anyone else (a grid member, an office clerk)."""
    posts = (role_holders(role=Role.TOWN_LEADERSHIP, town_id=town_id)
             | role_holders(role=LEADER_IN_CHARGE_ROLES,
                            large_grid_id=LargeGrid.objects.filter(town_id=town_id).values("id")))
    return staff_of_town(town_id=town_id).filter(id__in=posts.values("staff_id"))


def responsible_candidates(*, town_id: int) -> QuerySet[Staff]:
    """Who may be a notice's responsible person (定责任：责任人): staff of the town holding a post
    in force in it: an office or the leadership, a post over one of its villages (large grid,
    small grid, village committee). The picker narrows them further to the villages and
    offices the notice targets (``staff_posts``)."""
    posts = RoleAssignment.objects.active().filter(
        Q(town_id=town_id) | Q(large_grid__town_id=town_id)
        | Q(small_grid__large_grid__town_id=town_id) | Q(committee__town_id=town_id))
    return staff_of_town(town_id=town_id).filter(id__in=posts.values("staff_id"))


def case_committees(*, town_id: int, large_grid_id: int) -> QuerySet[MediationCommittee]:
    """The committees that may mediate a case of ``large_grid_id``: its village committee
    (村调委会) and the town committee (镇调委会), 人民调解法 第八条、第十三条."""
    return MediationCommittee.objects.filter(
        Q(large_grid_id=large_grid_id)
        | Q(level=MediationCommittee.Level.TOWN, town_id=town_id))


def mediator_candidates(*, town_id: int, large_grid_id: int,
                        with_chairs: bool = False) -> QuerySet[Staff]:
    """Who may mediate a case of ``large_grid_id``: the people's mediators (and with
    ``with_chairs`` the chairs, who may sign an agreement) of the case's village committee
    or the town committee, posts in force today. The one place of the rule: the case pages'
    mediator pickers offer these, and escalation to a named mediator, reassignment and the
    agreement's signature refuse anyone else (``disputes.services.routing``)."""
    roles = [Role.MEDIATOR, Role.COMMITTEE_CHAIR] if with_chairs else Role.MEDIATOR
    posts = role_holders(role=roles, committee_id=case_committees(
        town_id=town_id, large_grid_id=large_grid_id).values("id"))
    return Staff.objects.filter(id__in=posts.values("staff_id"))


def with_posts(staff: QuerySet[Staff]) -> QuerySet[Staff]:
    """``staff`` with ``posts``: their assignments in force, with the object each is held
    over, for a picker's "role · village" (one query for all of them, ``staff_posts``)."""
    active = RoleAssignment.objects.active().select_related(
        "town", "committee", "large_grid", "small_grid", "small_grid__large_grid",
        "household").order_by("role", "id")
    return staff.prefetch_related(Prefetch("assignments", queryset=active, to_attr="posts"))


# A town post's key where a target names the office rather than the role (the police station).
OFFICE_KEYS = {Role.POLICE_LIAISON: "police"}


def staff_posts(person: Staff) -> list[dict]:
    """Each post of ``person`` (loaded by ``with_posts``), one per role: its label, where it is
    held (the village: the large grid, also for a small grid or a village committee) and keys
    of what it covers (``lg:<large grid id>``, ``office:<role>``) for narrowing a picker."""
    posts: dict[str, dict] = {}
    for a in getattr(person, "posts", ()):
        place, keys = "", []
        if a.large_grid_id:
            place, keys = a.large_grid.name, [f"lg:{a.large_grid_id}"]
        elif a.small_grid_id:
            lg = a.small_grid.large_grid
            place, keys = f"{lg.name} · {a.small_grid.name}", [f"lg:{lg.pk}"]
        elif a.committee_id:
            place = a.committee.name
            keys = ([f"lg:{a.committee.large_grid_id}"] if a.committee.large_grid_id
                    else ["office:committee"])
        elif a.town_id:
            place, keys = a.town.name, [f"office:{OFFICE_KEYS.get(a.role, a.role)}"]
        elif a.household_id:
            place = str(a.household)
        post = posts.setdefault(a.role, {"role": a.get_role_display(), "places": [], "keys": []})
        if place and place not in post["places"]:
            post["places"].append(place)
        post["keys"] += [k for k in keys if k not in post["keys"]]
    return list(posts.values())
