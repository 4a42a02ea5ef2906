"""Reads of the outreach app for staff, each through the scope rule (``grid.scope``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grid.scope import scope_for_user

from .models import Application, SmsMessage
from .states import ApplicationState


def application_list_for_user(*, user, state: str | None = None) -> QuerySet[Application]:
    """Applications of the small grids the user covers, oldest waiting first."""
    scope = scope_for_user(user)
    qs = Application.objects.select_related("small_grid__large_grid", "handler", "dispute")
    if not scope.is_global:
        qs = qs.filter(small_grid_id__in=scope.small_grid_ids) if scope.small_grid_ids else (
            qs.none())
    if state:
        qs = qs.filter(state=state)
    return qs


def application_queue_for_user(*, user) -> QuerySet[Application]:
    """The grid member's queue: applications waiting for a decision, oldest first."""
    return (application_list_for_user(user=user, state=ApplicationState.SUBMITTED)
            .order_by("submitted_at", "id"))


def application_get_for_user(*, user, pk: int) -> Application:
    """One application; ``Application.DoesNotExist`` outside the scope."""
    return application_list_for_user(user=user).prefetch_related("events__actor").get(pk=pk)


def sms_list_for_user(*, user) -> QuerySet[SmsMessage]:
    """The SMS log: messages about the small grids the user covers, and the town's other
    messages (staff alerts) for those who cover the whole town."""
    scope = scope_for_user(user)
    qs = SmsMessage.objects.select_related("dispute", "petition")
    if scope.is_global:
        return qs
    return qs.filter(Q(small_grid_id__in=scope.small_grid_ids)
                     | Q(small_grid__isnull=True, town_id__in=scope.full_town_ids))
