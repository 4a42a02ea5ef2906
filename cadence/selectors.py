"""Reads of the cadence and the leadership dashboard, narrowed by the scope rule."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.models import TIERS, Dispute, DisputeQuerySet
from grid.models import LargeGrid, Town
from grid.scope import filter_full_towns, scope_for_user
from petitions.models import Petition, PetitionQuerySet
from supervision.models import SupervisionNotice

from . import figures
from .models import DailyRecord, DailyScreeningReport, MonthlyAnalysis, WeeklySummary


def covered_towns(*, user) -> QuerySet[Town]:
    """Towns whose reports the user reads: towns the user covers whole (leadership, offices,
    the town committee chair, county users)."""
    return filter_full_towns(Town.objects.select_related("county").order_by("id"), user)


def daily_records_for_user(*, user) -> QuerySet[DailyRecord]:
    return DailyRecord.objects.filter(town__in=covered_towns(user=user)).select_related("town")


def weekly_summaries_for_user(*, user) -> QuerySet[WeeklySummary]:
    return WeeklySummary.objects.filter(town__in=covered_towns(user=user)).select_related("town")


def monthly_analyses_for_user(*, user) -> QuerySet[MonthlyAnalysis]:
    return MonthlyAnalysis.objects.filter(town__in=covered_towns(user=user)).select_related(
        "town", "judged_by")


def screening_reports_for_user(*, user) -> QuerySet[DailyScreeningReport]:
    scope = scope_for_user(user)
    qs = DailyScreeningReport.objects.select_related("small_grid", "small_grid__large_grid",
                                                     "reporter")
    return qs if scope.is_global else qs.filter(small_grid_id__in=scope.small_grid_ids)


def dashboard(*, user) -> dict | None:
    """Today's numbers, the four-lines funnel, cases by month, type and grid, and the grid
    table, over the towns the user covers; None for users who cover no whole town."""
    towns = list(covered_towns(user=user))
    if not towns:
        return None
    town_ids = [t.pk for t in towns]
    today = timezone.localdate()
    start, end = figures.day_range(today)
    month_first = figures.month_start(today)
    month_start, _ = figures.day_range(month_first)
    now = timezone.now()
    cases = Dispute.objects.filter(town_id__in=town_ids).counted()
    numbers = cases.aggregate(
        new_today=Count("id", filter=Q(found_at__gte=start, found_at__lt=end)),
        open=Count("id", filter=DisputeQuerySet.open_q()),
        overdue=Count("id", filter=DisputeQuerySet.overdue_q(now)),
        resolved_month=Count("id", filter=Q(resolved_at__gte=month_start)),
        **{f"open_{t.value}": Count("id", filter=Q(state=t.value)) for t in TIERS},
        **{f"resolved_{t.value}": Count("id", filter=DisputeQuerySet.resolved_q()
                                        & Q(resolved_tier=t.value)) for t in TIERS},
        referred=Count("id", filter=DisputeQuerySet.referred_q()),
        terminated=Count("id", filter=DisputeQuerySet.terminated_q()),
        mediation_overdue=Count("id", filter=DisputeQuerySet.mediation_overdue_q(today)),
    )
    numbers["notices_open"] = SupervisionNotice.objects.filter(town_id__in=town_ids).open().count()
    # Due within 3 days: a deadline on or before the third day from today.
    after_horizon = today + timezone.timedelta(days=4)
    numbers["petitions_due"] = Petition.objects.filter(town_id__in=town_ids).filter(
        PetitionQuerySet.due_before_q(after_horizon)).count()
    funnel = [{"label": str(t.label), "resolved": numbers[f"resolved_{t.value}"],
               "open": numbers[f"open_{t.value}"]} for t in TIERS]
    by_type = [{"label": str(figures.CATEGORY_LABELS[r["category"]]), "n": r["n"]}
               for r in cases.filter(found_at__gte=figures.day_range(
                   figures.add_months(month_first, -11))[0])
               .values("category").annotate(n=Count("id")).order_by("-n")]
    week_first = today - timezone.timedelta(days=today.weekday())
    grid_rows = list(
        LargeGrid.objects.filter(town_id__in=town_ids).order_by("town_id", "number")
        .annotate(
            small=Count("small_grids", distinct=True),
            reported_today=Count("small_grids__screening_reports", distinct=True,
                                 filter=Q(small_grids__screening_reports__date=today)),
            reported_week=Count("small_grids__screening_reports", distinct=True,
                                filter=Q(small_grids__screening_reports__date__gte=week_first)),
        ).values("id", "number", "name", "town__name", "small", "reported_today",
                 "reported_week"))
    open_by_grid = {r["small_grid__large_grid"]: r for r in cases.open()
                    .values("small_grid__large_grid").annotate(
                        open=Count("id"), overdue=Count("id", filter=DisputeQuerySet.overdue_q(now)))}
    days_this_week = today.weekday() + 1
    for row in grid_rows:
        counts = open_by_grid.get(row["id"], {})
        row["open"], row["overdue"] = counts.get("open", 0), counts.get("overdue", 0)
        row["week_rate"] = round(100 * row["reported_week"] / (row["small"] * days_this_week),
                                 1) if row["small"] else 0
    by_town = []
    if len(towns) > 1:
        by_town = list(Town.objects.filter(id__in=town_ids).order_by("id").annotate(
            open=Count("disputes", filter=DisputeQuerySet.open_q("disputes__")),
            overdue=Count("disputes", filter=DisputeQuerySet.overdue_q(now, "disputes__")),
            resolved=Count("disputes", filter=DisputeQuerySet.resolved_q("disputes__")),
            referred=Count("disputes", filter=DisputeQuerySet.referred_q("disputes__")),
            terminated=Count("disputes", filter=DisputeQuerySet.terminated_q("disputes__")),
        ).values("id", "name", "open", "overdue", "resolved", "referred", "terminated"))
    trend = figures.monthly_series(town_ids=town_ids, first=figures.add_months(month_first, -11),
                                   last_exclusive=figures.add_months(month_first, 1))
    return {
        "towns": towns, "numbers": numbers, "funnel": funnel, "by_type": by_type,
        "trend": trend, "grids": grid_rows, "by_town": by_town,
        "chart_trend": trend_chart(trend),
        "chart_types": {"rows": by_type},
        "chart_grids": {"rows": [{"label": g["name"], "n": g["open"]} for g in grid_rows]},
    }


def trend_chart(rows) -> dict:
    return {"labels": {"new": str(_("新增")), "resolved": str(_("化解"))}, "rows": rows}
