"""Demo cadence for Huangzhai: today's screening reports from most grids (some zero reports,
a few missing), and the stored daily, weekly and monthly sweeps. Idempotent."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from grid.models import Role, RoleAssignment, SmallGrid, Town

from . import services
from .models import DailyScreeningReport

AREAS = ["production_livelihood", "schooling_medical", "work_travel", "neighbour_relations"]


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or DailyScreeningReport.objects.filter(small_grid__large_grid__town=town).exists():
        return
    User = get_user_model()
    today = timezone.localdate()
    grids = list(SmallGrid.objects.filter(large_grid__town=town).order_by("large_grid__number",
                                                                          "number"))
    members = {a.small_grid_id: a.staff for a in RoleAssignment.objects.active().filter(
        role=Role.GRID_MEMBER, small_grid__in=grids).select_related("staff")}
    filer = User.objects.get(username="office")
    gm01 = User.objects.get(username="gm01")
    rows = []
    for back in range(0, 14):
        day = today - datetime.timedelta(days=back)
        for index, grid in enumerate(grids):
            # Grid 1 of large grid 1 is gm01's: left for today, so the demo can file it.
            if back == 0 and (index % 9 == 4 or index == 0):
                continue
            if back and (index + back) % 11 == 0:
                continue
            found = (index + back) % 7 == 0
            rows.append(DailyScreeningReport(
                small_grid=grid, date=day, reporter=members.get(grid.pk), areas=AREAS,
                nothing_found=not found, created_by=gm01 if index == 0 else filer,
                findings="发现邻里因排水问题有争执苗头，已当场劝解。" if found else ""))
    DailyScreeningReport.objects.bulk_create(rows)
    for back in range(1, 8):
        services.daily_sweep(town=town, day=today - datetime.timedelta(days=back))
    services.daily_sweep(town=town, day=today)
    services.weekly_sweep(town=town, day=today)
    for months_back in range(0, 3):
        first = today.replace(day=1)
        for _ in range(months_back):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        services.monthly_sweep(town=town, day=first)
