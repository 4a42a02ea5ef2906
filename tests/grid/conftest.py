"""Named objects of the demo town, for the grid tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grid.models import (
    GovernanceCentre,
    LargeGrid,
    MediationCommittee,
    Staff,
    Town,
)

from .factories import town_create


@pytest.fixture
def demo(db):
    """The demo town and the objects of large grids 1 (黄寨村) and 2 (马寨村) by name:
    ``demo.lg1``, ``demo.lg2``, their small grids, committees, centres and login staff."""
    town = Town.objects.get(code="620823103")
    lgs = {lg.number: lg for lg in LargeGrid.objects.filter(town=town)}
    staff = {s.user.username: s for s in Staff.objects.filter(user__isnull=False)
             .select_related("user")}
    ns = SimpleNamespace(
        town=town,
        county=town.county,
        lg1=lgs[1],
        lg2=lgs[2],
        large_grids=lgs,
        sg1=list(lgs[1].small_grids.order_by("number")),
        sg2=list(lgs[2].small_grids.order_by("number")),
        committee1=MediationCommittee.objects.get(large_grid=lgs[1]),
        committee2=MediationCommittee.objects.get(large_grid=lgs[2]),
        town_committee=MediationCommittee.objects.get(town=town, level="town"),
        town_centre=GovernanceCentre.objects.get(town=town, large_grid__isnull=True),
        centre2=GovernanceCentre.objects.get(town=town, large_grid=lgs[2]),
        staff=staff,
    )
    return ns


@pytest.fixture
def other_town(db):
    """A second town of the same county (锦屏镇) with its own grid member."""
    return town_create()
