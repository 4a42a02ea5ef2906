"""Fixtures of the petition tests: moving today's date, as the services see it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def travel(monkeypatch):
    """``travel(days=31)`` or ``travel(to=date)``: from then on ``timezone.localdate()`` (the
    date every petition service and selector reads) answers that day. Returns the new day."""
    real = timezone.localdate

    def go(*, days: int = 0, to: datetime.date | None = None) -> datetime.date:
        day = to or real() + datetime.timedelta(days=days)

        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return go
