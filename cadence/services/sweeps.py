"""The three sweeps (三个一). Each is idempotent per town and period: running it again
updates the stored figures, never duplicates them (unique constraints per period)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.stored_text import stored
from grid.models import Town
from inbox.notifications import notify

from .. import figures
from ..models import DailyRecord, MonthlyAnalysis, WeeklySummary


@transaction.atomic
def daily_sweep(*, town: Town, day: datetime.date | None = None) -> DailyRecord:
    """Store the day's record; on the day itself, remind (once) the grid members who have not
    reported and their grid leaders."""
    day = day or timezone.localdate()
    data = figures.daily_figures(town=town, day=day)
    record, _created = DailyRecord.objects.update_or_create(town=town, date=day,
                                                            defaults={"figures": data})
    record = DailyRecord.objects.select_for_update().get(pk=record.pk)
    if day == timezone.localdate() and record.reminders_sent_at is None and data["missing"]:
        users = figures.reminder_recipients(town=town,
                                            small_grid_ids=[g["id"] for g in data["missing"]])
        notify(recipients=users, title=stored(gettext_noop("今日排查报告未报：%(date)s"), date=day),
               body=stored(gettext_noop("以下网格尚未填报今日排查报告（含零报告）：%(grids)s"),
                           grids="、".join(g["name"] for g in data["missing"])[:400]),
               url="/cadence/screening/")
        record.reminders_sent_at = timezone.now()
        record.save(update_fields=["reminders_sent_at"])
    return record


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def weekly_sweep(*, town: Town, day: datetime.date | None = None) -> WeeklySummary:
    """Summarise the week before the one containing ``day`` (Monday morning: last week)."""
    day = day or timezone.localdate()
    start = week_start_of(day) - datetime.timedelta(days=7)
    summary, _created = WeeklySummary.objects.update_or_create(
        town=town, week_start=start,
        defaults={"figures": figures.weekly_figures(town=town, week_start=start)})
    return summary


@transaction.atomic
def monthly_sweep(*, town: Town, day: datetime.date | None = None) -> MonthlyAnalysis:
    """Analyse the month before the one containing ``day`` (on the 1st: last month). The
    leadership's judgement already written is kept."""
    day = day or timezone.localdate()
    month = figures.add_months(figures.month_start(day), -1)
    analysis, _created = MonthlyAnalysis.objects.update_or_create(
        town=town, month=month, defaults={"figures": figures.monthly_figures(town=town,
                                                                              month=month)})
    return analysis


SWEEPS = {"daily": daily_sweep, "weekly": weekly_sweep, "monthly": monthly_sweep}


def run_sweep(kind: str, *, day: datetime.date | None = None) -> int:
    """Run one sweep for every town; returns how many towns were swept."""
    sweep = SWEEPS[kind]
    count = 0
    for town in Town.objects.order_by("id"):
        sweep(town=town, day=day)
        count += 1
    return count


@transaction.atomic
def monthly_judgement_save(*, analysis: MonthlyAnalysis, by, judgement: str,
                           decisions: str) -> MonthlyAnalysis:
    """Leadership writes its judgement and decisions (研判意见) into the stored report."""
    from supervision.permissions import is_leadership

    if not is_leadership(by, analysis.town_id):
        raise PermissionDenied(_("只有镇党委、政府领导可以填写研判意见。"))
    if not (judgement or "").strip():
        raise ValidationError({"judgement": _("请填写研判意见。")})
    analysis.judgement, analysis.decisions = judgement.strip(), (decisions or "").strip()
    analysis.judged_by, analysis.judged_at = by, timezone.now()
    analysis.save(update_fields=["judgement", "decisions", "judged_by", "judged_at"])
    return analysis
