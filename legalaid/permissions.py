"""Who may do what to a legal-aid matter, one function per transition.

The town's judicial office (司法所) registers matters and passes them to the county legal-aid
centre, records its decision and the provider; the staff of the unit a matter is assigned to
(the legal-service office) handle it and conclude it; town leadership may do everything; a
matter entered in error is voided by leadership or the judicial office. Consultations and
publicity are recorded by those who cover the town or the village, and by the units' staff.
"""

from __future__ import annotations

from grid.models import Role
from grid.scope import scope_for_user

from .rules import hardship_refusal


def in_scope(user, matter) -> bool:
    scope = scope_for_user(user)
    return scope.covers_small_grid(matter.small_grid_id) or (
        matter.unit_id is not None and matter.unit_id in scope.unit_ids)


def is_town_office(user, town_id: int) -> bool:
    """Leadership or the judicial office of the town (an administrator everywhere)."""
    scope = scope_for_user(user)
    return (scope.is_global or scope.holds(Role.TOWN_LEADERSHIP, town_id)
            or scope.holds(Role.JUDICIAL_OFFICE, town_id))


def can_register(user, *, town_id: int, unit_ids=()) -> bool:
    """Register a matter in the town: its judicial office, leadership, or the staff of one
    of its units."""
    scope = scope_for_user(user)
    return user.is_authenticated and (is_town_office(user, town_id)
                                      or bool(set(unit_ids) & scope.unit_ids))


def can_handle(matter, user) -> bool:
    """Check hardship, transfer, record the decision, assign: the judicial office and
    leadership of the matter's town, and the staff of the unit it is assigned to."""
    if not user.is_authenticated or not in_scope(user, matter):
        return False
    return is_town_office(user, matter.town_id) or (
        matter.unit_id is not None and matter.unit_id in scope_for_user(user).unit_ids)


def can_conclude(matter, user) -> bool:
    return can_handle(matter, user)


def can_void(matter, user) -> bool:
    return user.is_authenticated and in_scope(user, matter) and is_town_office(
        user, matter.town_id)


def can_check_hardship(matter, user) -> bool:
    return matter.state == "applied" and can_handle(matter, user)


def can_see_personal_data(matter, user) -> bool:
    """The applicant's reason for priority service and full details: those who handle it."""
    return can_handle(matter, user)


def hardship_settled(matter) -> bool:
    """The transfer's condition: hardship checked or an exemption named (第三十二、四十一、
    四十二条)."""
    return hardship_refusal(hardship=matter.hardship, exemption=matter.exemption) is None


def can_record_in_town(user, *, town_id: int, large_grid_id: int | None, unit_id: int | None
                       ) -> bool:
    """Record a consultation or a publicity event: whoever covers the town, or works in the
    village named (its large grid or one of its small grids), or works at the unit named."""
    scope = scope_for_user(user)
    if not user.is_authenticated:
        return False
    if scope.covers_town(town_id):
        return True
    if large_grid_id is not None and large_grid_id in scope.large_grid_ids:
        return True
    return unit_id is not None and unit_id in scope.unit_ids


def available_actions(matter, user) -> list[str]:
    from .actions import ACTIONS

    return ACTIONS.available(matter, user)
