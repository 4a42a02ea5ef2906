"""Who may act on an application for mediation: those who cover its small grid (its grid
member first; the grid leader and the town-wide offices above them). The scope rule itself
is ``grid.scope``."""

from __future__ import annotations

from grid.scope import scope_for_user


def can_decide(application, user) -> bool:
    """Accept or decline: a user who covers the application's small grid."""
    return bool(user and user.is_authenticated
                and scope_for_user(user).covers_small_grid(application.small_grid_id))
