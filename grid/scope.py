"""Who sees what: the one scope rule of the project (README, "Architecture").

``scope_for_user(user)`` answers which towns, large grids, small grids and committees a user
may see and act in, from the user's role assignments in force today. Every queryset of every
page, API endpoint, export and admin view narrows through this module (directly or through
the selectors built on it); objects outside the scope answer 404.

The rule, per role (docs/domain.md, "三项建设" and the glossary):

- county user → every town of the county;
- governance / judicial / petition office, police liaison, town leadership → the whole town;
- chair or mediator of the *town* committee → the whole town (the fourth line of defence);
- chair or mediator of a *village* committee → that village's large grid;
- grid leader, Party committee member (包片), section-level leader (包村) → the large grid(s);
- grid member, informant → the small grid(s); a cadre (包户) → the households' small grids;
- staff of the legal-service office or the five-elders studio (``ServiceUnit``) → what is
  assigned to their unit (``filter_cases``, ``filter_town_records``); they see the unit's town.

Covering a town covers all its large grids; covering a large grid covers all its small grids
and its village committee. A user who covers only part of a town still *sees* the town, the
parent large grid of each small grid, and the town committee (so they know where a case
goes next), but cases are scoped by small grid, and lists show only what is covered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import lookups  # noqa: F401 - registers ``__any_of``: the ids as one parameter

from .models import (
    ROLE_SCOPE_FIELD,
    LargeGrid,
    MediationCommittee,
    OrganisationStamp,
    Role,
    RoleAssignment,
    ServiceUnit,
    SmallGrid,
    Staff,
    Town,
)

_CACHE_ATTR = "_grid_scope_cache"
T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """What one user may see and act in. Ids only; build querysets with the helpers below."""

    is_global: bool = False
    roles: frozenset[str] = frozenset()
    # Towns the user can see at all, and towns the user covers entirely.
    town_ids: frozenset[int] = frozenset()
    full_town_ids: frozenset[int] = frozenset()
    # Large grids the user covers (acts in), and those merely visible as a parent.
    covered_large_grid_ids: frozenset[int] = frozenset()
    large_grid_ids: frozenset[int] = frozenset()
    # Small grids the user covers: cases, petitions and reports are scoped by these.
    small_grid_ids: frozenset[int] = frozenset()
    # Those of them outside the towns covered whole: with ``full_town_ids``, the same small
    # grids named by fewer ids (a summary row keeps its town).
    partial_small_grid_ids: frozenset[int] = frozenset()
    committee_ids: frozenset[int] = frozenset()
    staff_id: int | None = None
    # Role → the ids of the objects that role is held over, for permission checks.
    held: dict[str, frozenset[int]] = field(default_factory=dict)
    # Committee roles resolved to where they apply: the large grid of a village committee,
    # or the town of the town committee.
    mediator_large_grid_ids: frozenset[int] = frozenset()
    mediator_town_ids: frozenset[int] = frozenset()
    chair_large_grid_ids: frozenset[int] = frozenset()
    chair_town_ids: frozenset[int] = frozenset()
    # Service units (legal-service office, five-elders studio) whose assigned work the user
    # sees and handles.
    unit_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.is_global and not self.town_ids

    @property
    def covers_any_whole_town(self) -> bool:
        """Covers at least one town entirely (town-wide offices, leadership, the town
        committee, county users, administrators): such users read the town's reports and
        dashboard rather than a grid's."""
        return self.is_global or bool(self.full_town_ids)

    def has_role(self, *roles: str) -> bool:
        return self.is_global or any(role in self.roles for role in roles)

    def covers_town(self, town_id: int) -> bool:
        return self.is_global or town_id in self.full_town_ids

    def covers_large_grid(self, large_grid_id: int) -> bool:
        return self.is_global or large_grid_id in self.covered_large_grid_ids

    def covers_small_grid(self, small_grid_id: int) -> bool:
        return self.is_global or small_grid_id in self.small_grid_ids

    def holds(self, role: str, object_id: int) -> bool:
        """True when the user holds ``role`` over exactly that object (not inherited)."""
        return object_id in self.held.get(role, frozenset())


GLOBAL_SCOPE = Scope(is_global=True)
EMPTY_SCOPE = Scope()


def scope_for_user(user) -> Scope:
    """The user's scope, computed once per user object (so once per request).

    Superusers see everything. A user without a staff record or without an assignment in force
    today sees nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = GLOBAL_SCOPE if user.is_superuser else _computed(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


# Scopes computed in this process, by (user, organisation stamp, day): a request reads the
# stamp (one small query) instead of the five the rule needs (``SCOPE_CACHE``, on by default;
# the test settings turn it off so that pinned query counts do not depend on test order,
# and the tests of this cache turn it on). A write to any table the rule
# reads changes the stamp in the same statement (``grid.stamp``), and assignments start and
# end by the day, so an entry is used only while what it was computed from is unchanged.
# Other values computed from those tables alone (``organisation_kept``: a ledger's grid
# options, the leaders in charge of large grids) are kept the same way.
_computed_scopes: OrderedDict = OrderedDict()
_computed_lock = threading.Lock()
COMPUTED_SCOPES_KEPT = 2048


def forget_computed_scopes() -> None:
    """Empty this process's computed scopes (tests that count a page's queries from cold)."""
    with _computed_lock:
        _computed_scopes.clear()


def organisation_kept(name: str, args: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process while the organisation and the day are unchanged.

    Only for values read from the tables the organisation stamp covers
    (``grid.stamp.SCOPE_TABLES``: staff, assignments, towns, grids, households, committees,
    units) and from today's date (assignments in force): ``name`` and ``args`` name the value,
    the stamp and the day complete the key. Computed every time when ``SCOPE_CACHE`` is off
    or the stamp row is missing. The value is shared between requests: return something
    that is not changed afterwards (tuples, frozen data)."""
    if not settings.SCOPE_CACHE:
        return compute()
    stamp = _stamp()
    if stamp is None:  # no stamp row (a database being restored): compute every time
        return compute()
    key = (name, args, stamp, timezone.localdate())
    with _computed_lock:
        if key in _computed_scopes:
            _computed_scopes.move_to_end(key)
            return _computed_scopes[key]
    value = compute()
    with _computed_lock:
        _computed_scopes[key] = value
        while len(_computed_scopes) > COMPUTED_SCOPES_KEPT:
            _computed_scopes.popitem(last=False)
    return value


# Within a web request the stamp is read once (``request_started`` opens, ``request_finished``
# closes); elsewhere (the worker, commands) at each use.
_request_stamp: ContextVar[list | None] = ContextVar("organisation_stamp", default=None)


def _stamp() -> str | None:
    held = _request_stamp.get()
    if held:
        return held[0]
    stamp = _read_stamp()
    if held is not None:
        held.append(stamp)
    return stamp


def _read_stamp() -> str | None:
    """``OrganisationStamp.objects.filter(pk=1).values_list("stamp", flat=True).first()``,
    as one fixed statement: nearly every request reads it (the ORM's query took longer to
    build than to run)."""
    meta, quote = OrganisationStamp._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(meta.get_field('stamp').column)} FROM"
                       f" {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s", [1])
        row = cursor.fetchone()
    return row[0] if row else None


def request_stamp_open(**_kwargs) -> None:
    _request_stamp.set([])


def request_stamp_close(**_kwargs) -> None:
    _request_stamp.set(None)


def _computed(user) -> Scope:
    return organisation_kept("scope", (user.pk,), lambda: _compute(user))


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's assignments change in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute(user) -> Scope:
    staff = Staff.objects.filter(user=user).only("id").first()
    if staff is None:
        return EMPTY_SCOPE
    assignments = list(
        RoleAssignment.objects.active()
        .filter(staff=staff)
        .select_related("committee", "household", "small_grid", "large_grid")
    )
    if not assignments:
        return Scope(staff_id=staff.id)

    held: dict[str, set[int]] = {}
    committee_roles: dict[tuple[str, str], set[int]] = {}
    full_towns: set[int] = set()
    counties: set[int] = set()
    large_grids: set[int] = set()
    small_grids: set[int] = set()
    units: set[int] = set()
    for a in assignments:
        scope_field = ROLE_SCOPE_FIELD[Role(a.role)]
        held.setdefault(a.role, set()).add(getattr(a, f"{scope_field}_id"))
        if scope_field == "county":
            counties.add(a.county_id)
        elif scope_field == "town":
            full_towns.add(a.town_id)
        elif scope_field == "committee":
            if a.committee.level == MediationCommittee.Level.TOWN:
                full_towns.add(a.committee.town_id)
                committee_roles.setdefault((a.role, "town"), set()).add(a.committee.town_id)
            else:
                large_grids.add(a.committee.large_grid_id)
                committee_roles.setdefault((a.role, "large_grid"), set()).add(
                    a.committee.large_grid_id)
        elif scope_field == "large_grid":
            large_grids.add(a.large_grid_id)
        elif scope_field == "small_grid":
            small_grids.add(a.small_grid_id)
        elif scope_field == "household":
            small_grids.add(a.household.small_grid_id)
        elif scope_field == "unit":
            units.add(a.unit_id)

    if counties:
        full_towns |= set(Town.objects.filter(county_id__in=counties).values_list("id", flat=True))

    # Everything inside a covered town or large grid, in one query.
    covered_small = SmallGrid.objects.filter(
        Q(id__in=small_grids)
        | Q(large_grid_id__in=large_grids)
        | Q(large_grid__town_id__in=full_towns)
    ).values_list("id", "large_grid_id", "large_grid__town_id")
    small_ids, parent_lg_ids, town_ids = set(), set(), set(full_towns)
    partial_small_ids = set()
    for sg_id, lg_id, town_id in covered_small:
        small_ids.add(sg_id)
        if town_id not in full_towns:
            partial_small_ids.add(sg_id)
        parent_lg_ids.add(lg_id)
        town_ids.add(town_id)
    covered_lgs = set(large_grids) | set(
        LargeGrid.objects.filter(town_id__in=full_towns).values_list("id", flat=True))
    town_ids |= set(LargeGrid.objects.filter(id__in=covered_lgs).values_list("town_id", flat=True))
    if units:
        town_ids |= set(ServiceUnit.objects.filter(id__in=units).values_list("town_id", flat=True))
    committee_ids = set(
        MediationCommittee.objects.filter(
            Q(town_id__in=full_towns)
            | Q(large_grid_id__in=covered_lgs | parent_lg_ids)
            | Q(level=MediationCommittee.Level.TOWN, town_id__in=town_ids)
        ).values_list("id", flat=True)
    )
    return Scope(
        roles=frozenset(held),
        town_ids=frozenset(town_ids),
        full_town_ids=frozenset(full_towns),
        covered_large_grid_ids=frozenset(covered_lgs),
        large_grid_ids=frozenset(covered_lgs | parent_lg_ids),
        small_grid_ids=frozenset(small_ids),
        partial_small_grid_ids=frozenset(partial_small_ids),
        committee_ids=frozenset(committee_ids),
        staff_id=staff.id,
        # Read-only: a computed scope is shared by the requests of this process.
        held=MappingProxyType({role: frozenset(ids) for role, ids in held.items()}),
        mediator_large_grid_ids=frozenset(committee_roles.get((Role.MEDIATOR, "large_grid"), ())),
        mediator_town_ids=frozenset(committee_roles.get((Role.MEDIATOR, "town"), ())),
        chair_large_grid_ids=frozenset(
            committee_roles.get((Role.COMMITTEE_CHAIR, "large_grid"), ())),
        chair_town_ids=frozenset(committee_roles.get((Role.COMMITTEE_CHAIR, "town"), ())),
        unit_ids=frozenset(units),
    )


# ---------------------------------------------------------------------------
# Narrowing querysets. Each takes the path from the queryset's model to the object kind.
# ---------------------------------------------------------------------------

def _narrow(qs: QuerySet, path: str, ids: frozenset[int], scope: Scope) -> QuerySet:
    if scope.is_global:
        return qs
    return qs.filter(**{f"{path}__any_of": ids}) if ids else qs.none()


def filter_towns(qs: QuerySet, user, path: str = "id") -> QuerySet:
    scope = scope_for_user(user)
    return _narrow(qs, path, scope.town_ids, scope)


def filter_full_towns(qs: QuerySet, user, path: str = "id") -> QuerySet:
    """Only towns the user covers entirely (town-wide offices, leadership, county)."""
    scope = scope_for_user(user)
    return _narrow(qs, path, scope.full_town_ids, scope)


def filter_large_grids(qs: QuerySet, user, path: str = "id") -> QuerySet:
    scope = scope_for_user(user)
    return _narrow(qs, path, scope.large_grid_ids, scope)


def filter_small_grids(qs: QuerySet, user, path: str = "id") -> QuerySet:
    """Narrow to covered small grids: the rule for every case-like record."""
    scope = scope_for_user(user)
    return _narrow(qs, path, scope.small_grid_ids, scope)


def filter_cases(qs: QuerySet, user, *, small_grid_path: str, unit_path: str) -> QuerySet:
    """Case-like records that may also be assigned to a service unit (disputes, legal-aid
    matters): those in a covered small grid, and those assigned to the user's unit."""
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    if not scope.small_grid_ids and not scope.unit_ids:
        return qs.none()
    q = Q(**{f"{small_grid_path}__any_of": scope.small_grid_ids})
    if scope.unit_ids:
        q |= Q(**{f"{unit_path}__any_of": scope.unit_ids})
    return qs.filter(q)


def filter_town_records(qs: QuerySet, user, *, town_path: str, large_grid_path: str,
                        unit_path: str) -> QuerySet:
    """Town records kept by village (consultations, publicity events): the whole town for
    those who cover it, a village's rows for those who work in it (its large grid covered or
    one of its small grids), and what the user's service unit recorded."""
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    q = (Q(**{f"{town_path}__any_of": scope.full_town_ids})
         | Q(**{f"{large_grid_path}__any_of": scope.large_grid_ids}))
    if scope.unit_ids:
        q |= Q(**{f"{unit_path}__any_of": scope.unit_ids})
    return qs.filter(q)


def filter_units(qs: QuerySet, user) -> QuerySet:
    """Service units the user may see and pick: those of the towns the user covers entirely
    (the offices and leadership who assign work to them), and the user's own unit."""
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    return qs.filter(Q(town_id__in=scope.full_town_ids) | Q(id__in=scope.unit_ids))


def filter_committees(qs: QuerySet, user, path: str = "id") -> QuerySet:
    scope = scope_for_user(user)
    return _narrow(qs, path, scope.committee_ids, scope)


def filter_centres(qs: QuerySet, user, prefix: str = "") -> QuerySet:
    """Centres the user may see: a town's centre for anyone who sees the town, a village's
    centre (e.g. 马寨村综治中心) only for those who see that large grid. ``prefix`` is the path
    from the queryset's model to the centre, e.g. ``"centre__"``."""
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    return qs.filter(
        Q(**{f"{prefix}large_grid__isnull": True, f"{prefix}town_id__in": scope.town_ids})
        | Q(**{f"{prefix}large_grid_id__in": scope.large_grid_ids}))


def assignment_in_scope_q(scope: Scope, prefix: str = "") -> Q:
    """A Q on RoleAssignment (or, with ``prefix``, a relation to it) for assignments that a
    user with ``scope`` may see: over a covered small grid or household, a visible large grid,
    a visible committee, a visible town (town-level offices are the town's public face), or
    the county of a covered town."""
    p = prefix
    return (
        Q(**{f"{p}small_grid_id__in": scope.small_grid_ids})
        | Q(**{f"{p}household__small_grid_id__in": scope.small_grid_ids})
        | Q(**{f"{p}large_grid_id__in": scope.large_grid_ids})
        | Q(**{f"{p}committee_id__in": scope.committee_ids})
        | Q(**{f"{p}town_id__in": scope.town_ids})
        | Q(**{f"{p}county__towns__id__in": scope.full_town_ids})
        | Q(**{f"{p}unit__town_id__in": scope.town_ids})
    )


def filter_assignments(qs: QuerySet, user) -> QuerySet:
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    if scope.is_empty:
        return qs.none()
    return qs.filter(assignment_in_scope_q(scope)).distinct()


def filter_staff(qs: QuerySet, user) -> QuerySet:
    """Staff with at least one assignment in force that the user may see, and the user."""
    scope = scope_for_user(user)
    if scope.is_global:
        return qs
    if scope.is_empty:
        return qs.filter(id=scope.staff_id) if scope.staff_id else qs.none()
    visible = RoleAssignment.objects.active().filter(assignment_in_scope_q(scope))
    return qs.filter(Q(id__in=visible.values("staff_id")) | Q(id=scope.staff_id))
