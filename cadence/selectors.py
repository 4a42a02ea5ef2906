"""Reads of the cadence and the leadership dashboard, narrowed by the scope rule."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.counts import count_each
from disputes import tallies
from disputes.models import TIERS, Dispute, DisputeQuerySet
from grid.models import LargeGrid, SmallGrid, Town
from grid.scope import filter_full_towns, organisation_kept, scope_for_user
from petitions.models import Petition, PetitionQuerySet
from supervision.models import SupervisionNotice

from . import figures
from .models import DailyRecord, DailyScreeningReport, MonthlyAnalysis, WeeklySummary
from .service_figures import dashboard_services


def covered_towns(*, user) -> QuerySet[Town]:
    """Towns whose reports the user reads: towns the user covers whole (leadership, offices,
    the town committee chair, county users)."""
    return filter_full_towns(Town.objects.select_related("county").order_by("id"), user)


def covered_town_rows(*, user) -> tuple[Town, ...]:
    """The towns of ``covered_towns``, kept while the organisation and the day are unchanged
    (the dashboard reads them at every visit), by the scope's whole towns."""
    scope = scope_for_user(user)
    ids = "all" if scope.is_global else tuple(sorted(scope.full_town_ids))
    return organisation_kept("covered_town_rows", (ids,),
                             lambda: tuple(covered_towns(user=user)))


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


def _clock_counts(cases: QuerySet[Dispute], kept: QuerySet, **conditions: Q) -> list[dict]:
    """Per town and large grid, how many of ``cases`` meet each condition (new today,
    overdue …), with the counts ``kept`` already (values of town_id, small_grid_id, measure
    and n): one statement. Each condition is a part read through its own index (town and
    found_at; town, state and a deadline, which carry the small grid), so only those index
    entries are read, never the whole scope nor, for the deadlines, the cases' rows. The
    parts count per small grid (no join per case); the statement sums them per large grid
    (a join of those few rows to the small grids), so a row comes back per large grid and
    measure, not per small grid."""
    parts = [cases.filter(condition).values("town_id", "small_grid_id").order_by()
             .annotate(measure=Value(name), n=Count("*"))
             for name, condition in conditions.items()]
    union = parts[0].union(*parts[1:], kept, all=True)
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    connection = connections[union.db]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.town_id, g.large_grid_id, u.measure, CAST(SUM(u.n) AS integer)"
            f" FROM ({sql}) u JOIN {quote(SmallGrid._meta.db_table)} g ON g.id = u.small_grid_id"
            f" GROUP BY u.town_id, g.large_grid_id, u.measure", params)
        counted = cursor.fetchall()
    rows: dict = {}
    for town_id, large_grid_id, measure, n in counted:
        row = rows.setdefault((town_id, large_grid_id), {
            "town_id": town_id, "small_grid__large_grid": large_grid_id,
            **dict.fromkeys(conditions, 0)})
        row[measure] += n
    return list(rows.values())


def dashboard(*, user) -> dict | None:
    """Today's numbers, the four-lines funnel, cases by month, type and grid, and the grid
    table, over the towns the user covers; None for users who cover no whole town."""
    towns = covered_town_rows(user=user)
    if not towns:
        return None
    town_ids = [t.pk for t in towns]
    today = timezone.localdate()
    start, end = figures.day_range(today)
    month_first = figures.month_start(today)
    month_start, _ = figures.day_range(month_first)
    now = timezone.now()
    # Open states only in the deadline parts: voided cases are never open.
    cases = Dispute.objects.filter(town_id__in=town_ids)
    # The standing figures come from the summary rows (disputes.tallies), kept as cases are
    # written; only what depends on the clock (new today, overdue) is counted, over indexes
    # that reach just those rows.
    # Summed in the database per town (a few rows a town) and per large grid (open only),
    # not read per small grid and summed here.
    per_town = tallies.state_counts_by(town_ids=town_ids, by=("town_id",))
    counts: dict = {}
    for (_town, state, tier), n in per_town.items():
        counts[state, tier] = counts.get((state, tier), 0) + n
    headline = tallies.headline_from(counts)
    # The last twelve months of the summary rows by measure, month and type, in one read:
    # the month's total, the type chart and the trend come from it.
    year_first = figures.add_months(month_first, -11)
    next_month = figures.add_months(month_first, 1)
    months = tallies.month_counts(town_ids=town_ids, first=year_first, last_exclusive=next_month)
    new_today = Q(found_at__gte=start, found_at__lt=end)
    overdue = DisputeQuerySet.overdue_q(now)
    mediation_overdue = DisputeQuerySet.mediation_overdue_q(today)
    # Overdue: the cases whose deadline fell before this month, kept per month of the
    # deadline (disputes.tallies.due_before), and this month's past their deadline, counted.
    clock_rows = _clock_counts(
        cases,
        tallies.due_before(town_ids=town_ids, month=month_first,
                           names={"tier": "overdue", "mediation": "mediation_overdue"}),
        new=new_today & DisputeQuerySet.counted_q(),
        overdue=overdue & Q(tier_due_at__gte=month_start),
        mediation_overdue=mediation_overdue & Q(mediation_due__gte=month_first))
    numbers = {
        "new_today": sum(r["new"] for r in clock_rows),
        "open": headline["open"],
        "overdue": sum(r["overdue"] for r in clock_rows),
        "resolved_month": sum(n for (measure, month, _c), n in months.items()
                              if measure == "resolved" and month == month_first),
        **{f"open_{t.value}": sum(n for (s, _r), n in counts.items() if s == t.value)
           for t in TIERS},
        **{f"resolved_{row['tier']}": row["resolved"] for row in headline["tiers"]},
        "referred": headline["referred"],
        "terminated": headline["terminated"],
        "mediation_overdue": sum(r["mediation_overdue"] for r in clock_rows),
    }
    # Due within 3 days: a deadline on or before the third day from today.
    after_horizon = today + timezone.timedelta(days=4)
    # The counts over other tables, in one query (each part read through its own index).
    services = dashboard_services(town_ids=town_ids)
    counted = count_each(
        notices_open=SupervisionNotice.objects.filter(town_id__in=town_ids).open(),
        petitions_due=Petition.objects.filter(town_id__in=town_ids).filter(
            PetitionQuerySet.due_before_q(after_horizon)),
        **services)
    numbers["notices_open"] = counted["notices_open"]
    numbers["petitions_due"] = counted["petitions_due"]
    funnel = [{"label": str(t.label), "resolved": numbers[f"resolved_{t.value}"],
               "open": numbers[f"open_{t.value}"]} for t in TIERS]
    found_by_type: dict = {}
    for (measure, _month, category), n in months.items():
        if measure == "found":
            found_by_type[category] = found_by_type.get(category, 0) + n
    by_type = [{"label": str(figures.CATEGORY_LABELS.get(category, category)), "n": n}
               for category, n in sorted(found_by_type.items(), key=lambda kv: (-kv[1], kv[0]))
               if n]
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
    open_by_grid = tallies.open_by_large_grid(town_ids=town_ids)
    overdue_by_grid: dict = {}
    for r in clock_rows:
        grid = r["small_grid__large_grid"]
        overdue_by_grid[grid] = overdue_by_grid.get(grid, 0) + r["overdue"]
    days_this_week = today.weekday() + 1
    for row in grid_rows:
        row["open"] = open_by_grid.get(row["id"], 0)
        row["overdue"] = overdue_by_grid.get(row["id"], 0)
        row["week_rate"] = round(100 * row["reported_week"] / (row["small"] * days_this_week),
                                 1) if row["small"] else 0
    by_town = []
    if len(towns) > 1:
        # One pass over the grids' figures, not one per town.
        town_counts: dict = {}
        for (town_id, state, tier), n in per_town.items():
            counts_of_town = town_counts.setdefault(town_id, {})
            counts_of_town[state, tier] = counts_of_town.get((state, tier), 0) + n
        town_overdue: dict = {}
        for r in clock_rows:
            town_overdue[r["town_id"]] = town_overdue.get(r["town_id"], 0) + r["overdue"]
        for town in towns:
            h = tallies.headline_from(town_counts.get(town.pk, {}))
            by_town.append({"id": town.pk, "name": town.name, "open": h["open"],
                            "overdue": town_overdue.get(town.pk, 0),
                            "resolved": h["resolved"], "referred": h["referred"],
                            "terminated": h["terminated"]})
    by_month: dict = {}
    for (measure, month, _category), n in months.items():
        by_month[measure, month] = by_month.get((measure, month), 0) + n
    trend = figures.series_from(by_month, first=year_first, last_exclusive=next_month)
    return {
        "towns": towns, "numbers": numbers, "funnel": funnel, "by_type": by_type,
        "trend": trend, "grids": grid_rows, "by_town": by_town,
        "chart_trend": trend_chart(trend),
        "services": {name: counted[name] for name in services},
        "chart_types": {"rows": by_type},
        "chart_grids": {"rows": [{"label": g["name"], "n": g["open"]} for g in grid_rows]},
    }


def dashboard_kept(*, user) -> dict | None:
    """``dashboard``, computed once in each period of ``DASHBOARD_KEPT_SECONDS`` (a minute)
    for each set of towns and language, and kept in this process's memory (the "figures"
    cache) for the others who cover the same towns; ``as_of`` is when it was computed, which
    the page shows. The figures depend only on the towns (the scope rule decides which), so
    users covering the same towns share them."""
    seconds = settings.DASHBOARD_KEPT_SECONDS
    if seconds <= 0:
        panel = dashboard(user=user)
        if panel is not None:
            panel["as_of"] = timezone.now()
        return panel
    towns = covered_town_rows(user=user)
    if not towns:
        return None
    period = int(timezone.now().timestamp()) // seconds
    town_key = hashlib.sha256(",".join(str(t.pk) for t in towns).encode()).hexdigest()[:24]
    key = f"dashboard:{get_language()}:{seconds}:{period}:{town_key}"
    store = caches["figures"]
    panel = store.get(key)
    if panel is None:
        panel = dashboard(user=user)
        panel["as_of"] = timezone.now()
        store.set(key, panel, timeout=seconds)
    return panel


def trend_chart(rows) -> dict:
    return {"labels": {"new": str(_("新增")), "resolved": str(_("化解"))}, "rows": rows}
