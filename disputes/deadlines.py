"""Each of the dispute deadlines, computed here and nowhere else.

- Each tier's deadline: defaults 3 / 7 / 7 / 13 days (30 in all), configurable per town in
  ``TownDisputeSettings``; the clock runs from the moment the case reached the tier.
- The whole case's ``mediation_due``: the date accepted plus one month by default (per town):
  mediation normally concludes within a month of acceptance (司法部《人民调解工作若干规定》
  第三十三条); going past it needs the parties' agreement (``extend_mediation``).
- The judicial-confirmation window: 30 days from the agreement taking effect (人民调解法
  第三十三条), its last day moved to the next working day when it falls on a holiday or a
  weekend (民事诉讼法 第八十五条).
"""

from __future__ import annotations

import calendar
import datetime

from core.workdays import is_workday

from .states import DEFAULT_TIER_DAYS

# Parties may jointly apply for judicial confirmation within 30 days of the agreement taking
# effect (人民调解法 第三十三条).
JUDICIAL_CONFIRMATION_DAYS = 30

# Mediation normally concludes within one month of acceptance (《人民调解工作若干规定》第三十三条).
DEFAULT_MEDIATION_MONTHS = 1


def _settings(town_id: int):
    from .models import TownDisputeSettings

    return TownDisputeSettings.objects.filter(town_id=town_id).first()


def tier_days(*, town_id: int, state: str) -> int | None:
    """Days allowed at ``state`` in the town, or None for a state that is not a tier."""
    if state not in DEFAULT_TIER_DAYS:
        return None
    row = _settings(town_id)
    if row is None:
        return DEFAULT_TIER_DAYS[state]
    return getattr(row, f"{state}_days")


def tier_due_at(*, town_id: int, state: str, started_at: datetime.datetime
                ) -> datetime.datetime | None:
    days = tier_days(town_id=town_id, state=state)
    return None if days is None else started_at + datetime.timedelta(days=days)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months; the 31st of a shorter month becomes its last day
    (1 月 31 日 + 1 个月 = 2 月 28 日或 29 日)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def mediation_due(*, town_id: int, accepted_on: datetime.date) -> datetime.date:
    """The day by which the whole mediation should end (若干规定 第三十三条): accepted + the
    town's months (one by default)."""
    row = _settings(town_id)
    months = row.mediation_months if row is not None else DEFAULT_MEDIATION_MONTHS
    return add_months(accepted_on, months)


def next_working_day_on_or_after(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it on
    China's official calendar (民事诉讼法 第八十五条: a period whose last day is a holiday ends
    on the first day after the holiday)."""
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def judicial_confirmation_until(effective_on: datetime.date | None) -> datetime.date | None:
    """The last day on which the parties may jointly apply for judicial confirmation: 30 days
    after the agreement took effect (人民调解法 第三十三条), moved to the next working day when
    it is a holiday or a weekend (民事诉讼法 第八十五条). E.g. 2026-09-05 → 2026-10-05, in the
    National Day holiday → 2026-10-08."""
    if effective_on is None:
        return None
    return next_working_day_on_or_after(
        effective_on + datetime.timedelta(days=JUDICIAL_CONFIRMATION_DAYS))


# --- Referrals that come back ---------------------------------------------------------------
# Days the receiving unit has to acknowledge a referral (签收) and to report its result, per
# target. Where a law sets the unit's own limit it is used: the petition office tells the
# petitioner within 15 days whether it accepts and answers a claim within 60 (信访工作条例
# 第二十三条、第三十四条); a court decides on filing within 7 days (民事诉讼法 第一百二十六条)
# and ends an ordinary case within 6 months (第一百五十二条); the police decide on a public-
# security case within 30 days (治安管理处罚法 第九十九条). The town's own docking practice
# sets the rest: the judicial office, the governance office and county departments acknowledge
# within 3 days and report within a month, like mediation itself (若干规定 第三十三条).
REFERRAL_DAYS = {
    # target: (receipt days, result days)
    "police": (1, 30),
    "court": (7, 180),
    "judicial_office": (3, 30),
    "governance_office": (3, 30),
    "petition_office": (15, 60),
    "county_department": (3, 30),
}


def referral_receipt_due(*, target: str, referred_at: datetime.datetime) -> datetime.datetime:
    """When the receiving unit's receipt of a referral to ``target`` is due."""
    return referred_at + datetime.timedelta(days=REFERRAL_DAYS[target][0])


def referral_result_due(*, target: str, referred_at: datetime.datetime) -> datetime.datetime:
    """When the receiving unit's result of a referral to ``target`` is due."""
    return referred_at + datetime.timedelta(days=REFERRAL_DAYS[target][1])
