"""Notice deadlines by urgency: urgent 1–5 days (3 by default), ordinary 15,
difficult 30; the issuer may set another. Computed here and nowhere else."""

from __future__ import annotations

import datetime

from .states import Urgency

DEFAULT_DAYS = {Urgency.URGENT: 3, Urgency.ORDINARY: 15, Urgency.DIFFICULT: 30}
URGENT_MIN_DAYS, URGENT_MAX_DAYS = 1, 5


def default_deadline(urgency: str, issued_at: datetime.datetime) -> datetime.datetime:
    return issued_at + datetime.timedelta(days=DEFAULT_DAYS[urgency])


def urgent_deadline_ok(deadline: datetime.datetime, issued_at: datetime.datetime) -> bool:
    span = deadline - issued_at
    return (datetime.timedelta(days=URGENT_MIN_DAYS) - datetime.timedelta(hours=12) <= span
            <= datetime.timedelta(days=URGENT_MAX_DAYS, hours=12))
