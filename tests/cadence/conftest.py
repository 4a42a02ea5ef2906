"""Fixtures of the cadence tests: a town of their own, and a clock set to a chosen moment."""

from __future__ import annotations

import datetime

import pytest

from .factories import town_build


@pytest.fixture
def clock(monkeypatch):
    """``clock(at)``: from then on ``timezone.now()`` answers ``at``, and so
    ``timezone.localdate()`` answers its date in Asia/Shanghai (the services, sweeps and
    auto_now fields all read it). Call it again to move the clock. Returns ``at``."""

    def go(at: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: at)
        return at

    return go


@pytest.fixture
def qf(db):
    """清风镇: a town of the tests' own (two villages of two small grids each)."""
    return town_build()
