"""Delivering the outbox (待发送通知): each row once, with back-off after a failure.

A row is written with its notification in the transaction of the change that caused it
(``notify``). After the commit, ``outbox_enqueue_on_commit`` hands its ids to the worker; if
the broker is away that hand-over gives up at once and silently, and the beat sweep
(``inbox.tasks.outbox_sweep``, every minute) delivers the row later. Whoever delivers locks
the row first and skips rows another process holds (``SKIP LOCKED``), so a task and a sweep
never send the same message twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage
from .notifications import channel

logger = logging.getLogger(__name__)

FIRST_DELAY = 60  # seconds after the first failure; doubled after each one, at most an hour
MAX_DELAY = 3600


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most 60."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


@dataclass
class Delivery:
    delivered: int = 0
    failed: list[int] = field(default_factory=list)  # tried now, failed, to be tried again

def outbox_deliver(*, ids: list[int] | None = None, at=None, limit: int = 500) -> Delivery:
    """Deliver pending rows: ``ids`` now (the task after a commit or its retry), or else
    every row due at ``at`` (the sweep). A failure counts an attempt and sets the next one
    after ``retry_delay``; the error is kept on the row."""
    at = at or timezone.now()
    pending = OutboxMessage.objects.pending()
    candidates = (pending.filter(pk__in=ids) if ids is not None else pending.due(at=at))
    result = Delivery()
    for pk in list(candidates.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = (OutboxMessage.objects.pending().select_for_update(skip_locked=True)
                   .select_related("notification__recipient").filter(pk=pk).first())
            if row is None:  # delivered meanwhile, or held by another process right now
                continue
            route = channel(row.channel)
            try:
                if route is None:
                    raise LookupError(f"no channel {row.channel!r}")
                route.send(row.notification)
            except Exception as exc:  # any failure of the channel is retried
                row.attempts += 1
                row.next_attempt_at = timezone.now() + timedelta(
                    seconds=retry_delay(row.attempts))
                row.last_error = f"{type(exc).__name__}: {exc}"[:300]
                row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                result.failed.append(row.pk)
                logger.warning("outbox %s: %s failed (%s)", row.pk, row.channel, exc)
            else:
                row.delivered_at = timezone.now()
                row.save(update_fields=["delivered_at"])
                result.delivered += 1
    return result


def outbox_enqueue(ids: list[int]) -> bool:
    """Hand rows to the worker. Never waits on the broker and never raises: with the broker
    away the rows stay for the sweep. Returns whether the hand-over worked."""
    from .tasks import outbox_deliver as outbox_deliver_task

    try:
        outbox_deliver_task.apply_async(args=[ids], retry=False)
    except Exception as exc:  # the sweep delivers what was not handed over
        logger.warning("outbox: broker unavailable, %d message(s) left for the sweep (%s)",
                       len(ids), exc)
        return False
    return True


def outbox_enqueue_on_commit(ids: list[int]) -> None:
    transaction.on_commit(lambda: outbox_enqueue(ids))
