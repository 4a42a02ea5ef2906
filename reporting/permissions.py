"""Who may do what in reporting upward.

- The town's judicial office (司法所) drafts, files and corrects the statistics report;
  administrators may too.
- The town's leadership edits and issues bulletins; each recipient marks one read.
- Reading: everyone who covers the whole town (leadership, offices, the town committee,
  county users) reads its reports and bulletins; a recipient reads the bulletins sent to them.
"""

from __future__ import annotations

from grid.models import Role
from grid.scope import scope_for_user


def may_prepare(user, town_id: int) -> bool:
    scope = scope_for_user(user)
    return bool(user and user.is_authenticated) and (
        scope.is_global or scope.holds(Role.JUDICIAL_OFFICE, town_id))


def can_file(report, user) -> bool:
    return may_prepare(user, report.town_id)


def may_lead(user, town_id: int) -> bool:
    scope = scope_for_user(user)
    return bool(user and user.is_authenticated) and (
        scope.is_global or scope.holds(Role.TOWN_LEADERSHIP, town_id))


def can_issue(bulletin, user) -> bool:
    return may_lead(user, bulletin.town_id)


def can_edit(bulletin, user) -> bool:
    from .states import BulletinState

    return bulletin.state == BulletinState.DRAFT and may_lead(user, bulletin.town_id)


def can_read(bulletin, user) -> bool:
    """Offered to a recipient who has not yet marked the issued bulletin read."""
    from .states import BulletinState

    if bulletin.state != BulletinState.ISSUED or not user.is_authenticated:
        return False
    return any(r.user_id == user.pk and r.read_at is None for r in bulletin.recipients.all())


def is_county_user(user) -> bool:
    scope = scope_for_user(user)
    return scope.is_global or bool(scope.held.get(Role.COUNTY_USER))
