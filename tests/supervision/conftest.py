"""Fixtures of the supervision tests: a frozen clock."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def freeze(monkeypatch):
    """``freeze(at)``: from then on ``timezone.now()`` (which the services, the overdue check
    and the selectors read) answers ``at``. Returns ``at``."""

    def go(at: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: at)
        return at

    return go
