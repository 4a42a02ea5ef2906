"""Who may do what in supervision.

- Town leadership (and administrators) assess risks, issue notices, verify or return reports,
  and alone see responsibility tracing records.
- The responsible person (定责任) acknowledges, posts progress and reports; leadership may
  act for them.
"""

from __future__ import annotations

from grid.models import Role
from grid.scope import scope_for_user


def is_leadership(user, town_id: int) -> bool:
    scope = scope_for_user(user)
    return scope.is_global or scope.holds(Role.TOWN_LEADERSHIP, town_id)


def can_issue(user, town_id: int) -> bool:
    return user.is_authenticated and is_leadership(user, town_id)


can_assess = can_issue
can_see_traces = can_issue


def can_handle(notice, user) -> bool:
    """Acknowledge, post progress, report: the responsible person or leadership."""
    if not user.is_authenticated:
        return False
    staff_id = scope_for_user(user).staff_id
    return (staff_id is not None and staff_id == notice.responsible_id) or is_leadership(
        user, notice.town_id)


def can_verify(notice, user) -> bool:
    """Verify or return a report: the issuer or leadership."""
    if not user.is_authenticated:
        return False
    staff_id = scope_for_user(user).staff_id
    return (staff_id is not None and staff_id == notice.issuer_id) or is_leadership(
        user, notice.town_id)


def available_actions(notice, user) -> list[str]:
    """The actions ``user`` may take on ``notice`` now, as declared in
    ``supervision.actions``."""
    from .actions import ACTIONS

    return ACTIONS.available(notice, user)
