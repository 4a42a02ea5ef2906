"""The reporting entries of ``manage.py benchmark``: the statistics report of a town-year,
the county roll-up and the county sheet, each a (label, role, call) the command times like
any other screen. Kept apart so the command's own screens and these change independently."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone


def reporting_entries() -> list[tuple[str, str, object]]:
    from grid.models import Role, Town
    from reporting.figures import statistics_figures
    from reporting.periods import parse_period, previous_month
    from reporting.selectors import county_rollup

    town = Town.objects.order_by("id").first()
    if town is None:
        return []
    year = parse_period(str(timezone.localdate().year))
    month = previous_month()
    User = get_user_model()
    county = (User.objects.filter(staff__assignments__role=Role.COUNTY_USER, is_active=True)
              .first() or User.objects.filter(is_superuser=True, is_active=True).first())
    entries = [(f"statistics report ({town.name}, {year.code})", "system",
                lambda: statistics_figures(town=town, period=year))]
    if county is not None:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(county)
        entries += [
            (f"county roll-up ({month.code})", county.username,
             lambda: county_rollup(user=county, period=month)),
            ("county roll-up page", county.username,
             lambda: client.get(f"/reporting/county/?period={month.code}")),
            ("county sheet .xlsx", county.username,
             lambda: client.get(f"/reporting/county/?period={month.code}&format=xlsx")),
            (f"statistics API ({year.code})", county.username,
             lambda: client.get(f"/api/v1/statistics/mediation/?town={town.pk}"
                                f"&period={year.code}")),
        ]
    return entries
