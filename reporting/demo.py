"""Demo reporting for Huangzhai: last month's statistics report filed by the judicial office,
and the weekly bulletin drafted from the stored weekly summary and issued by the leadership.
Idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from cadence.models import WeeklySummary
from grid.models import Town

from . import services
from .models import StatisticsReport
from .periods import previous_month


def load(stdout=None):
    town = Town.objects.filter(code="620823103").first()
    if town is None or StatisticsReport.objects.filter(town=town).exists():
        return
    User = get_user_model()
    judicial = User.objects.get(username="judicial")
    leader = User.objects.get(username="leader")
    report = services.statistics_report_draft(town=town, period=previous_month(), by=judicial)
    services.statistics_report_file(report=report, by=judicial, note="按期上报。")
    summary = WeeklySummary.objects.filter(town=town).order_by("-week_start").first()
    if summary is not None:
        bulletin = services.bulletin_draft(source=summary, by=leader)
        services.bulletin_issue(bulletin=bulletin, by=leader, title=bulletin.title,
                                body=bulletin.body)
