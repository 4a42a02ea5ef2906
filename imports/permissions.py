"""Who may import: the town's governance office (综治办) and administrators, for their own town.

The governance office keeps the town's ledgers (docs/domain.md, "综治中心"); setting up the
organisation and bringing in its history is its work, not a grid's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from grid.models import Role, Town
from grid.scope import scope_for_user


def importable_towns(user) -> QuerySet[Town]:
    scope = scope_for_user(user)
    if scope.is_global:
        return Town.objects.all()
    return Town.objects.filter(pk__in=scope.held.get(Role.GOVERNANCE_OFFICE, frozenset()))


def may_import_somewhere(user) -> bool:
    """For the navigation: from the scope already worked out, without a query."""
    scope = scope_for_user(user)
    return scope.is_global or bool(scope.held.get(Role.GOVERNANCE_OFFICE))


def can_import(user, town_id: int) -> bool:
    scope = scope_for_user(user)
    return scope.is_global or scope.holds(Role.GOVERNANCE_OFFICE, town_id)
