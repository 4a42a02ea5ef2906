"""Builders for organisation data the demo town does not have.

The organisation itself (towns, grids, committees) has no write service yet, so it is created
here the way ``grid.demo`` creates it; people get their roles through ``grid.services``, as a
user of the admin would.
"""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from grid import services
from grid.models import (
    County,
    GovernanceCentre,
    LargeGrid,
    MediationCommittee,
    Role,
    SmallGrid,
    Staff,
    Town,
)

_seq = itertools.count(1)


def user_create(username: str | None = None, **extra):
    username = username or f"user{next(_seq):04d}"
    return get_user_model().objects.create_user(username=username, password="pw-12345678",
                                                 **extra)


def staff_with_role(role: str, scope_object, *, town: Town | None = None, username=None,
                    starts_on: datetime.date | None = None, **assign):
    """A new person with a login who holds ``role`` over ``scope_object``; returns the user."""
    user = user_create(username)
    town = town if town is not None else _town_of(scope_object)
    person = Staff.objects.create(user=user, town=town, name=f"测试人员{user.pk}",
                                  title=f"测试{role}")
    services.role_assign(staff=person, role=role, scope_object=scope_object,
                         starts_on=starts_on or timezone.localdate() - datetime.timedelta(days=30),
                         **assign)
    return user


def _town_of(obj) -> Town | None:
    if isinstance(obj, Town):
        return obj
    if isinstance(obj, County):
        return None
    if isinstance(obj, LargeGrid | MediationCommittee):
        return obj.town
    if isinstance(obj, SmallGrid):
        return obj.large_grid.town
    return obj.small_grid.large_grid.town  # a household


def town_create(*, county: County | None = None, name: str = "锦屏镇",
                code: str = "620823104") -> SimpleNamespace:
    """A second, small town: one large grid with one small grid, a town and a village
    committee, a village centre, and a grid member with a login (``user``)."""
    county = county or County.objects.get(code="620823")
    town = Town.objects.create(county=county, name=name, short_name=name[:2], code=code)
    lg = LargeGrid.objects.create(town=town, number=1, name=f"{name}一村")
    sg = SmallGrid.objects.create(large_grid=lg, number=1, name=f"{name}一村第1网格")
    town_committee = MediationCommittee.objects.create(
        town=town, level=MediationCommittee.Level.TOWN, name=f"{name}人民调解委员会")
    committee = MediationCommittee.objects.create(
        town=town, level=MediationCommittee.Level.VILLAGE, large_grid=lg,
        name=f"{lg.name}人民调解委员会")
    centre = GovernanceCentre.objects.create(town=town, large_grid=lg, name=f"{lg.name}综治中心")
    member = staff_with_role(Role.GRID_MEMBER, sg, town=town)
    return SimpleNamespace(town=town, large_grid=lg, small_grid=sg, committee=committee,
                           town_committee=town_committee, centre=centre, user=member,
                           staff=member.staff)
