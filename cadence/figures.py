"""The figures of the three sweeps and the dashboard, counted in the database.

Every function takes a town (or towns) and a period and returns plain JSON-able values, so
that the stored reports read the same next year whatever happens to the cases later.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from disputes.models import (
    TIERS,
    Dispute,
    DisputeCategory,
    DisputeQuerySet,
    DisputeState,
    Party,
    RiskLevel,
)
from disputes.tallies import month_series
from grid.models import LargeGrid, Role, SmallGrid
from grid.selectors import holder_users, role_holders
from petitions.models import (
    HANDLING_STATES,
    Evaluation,
    Petition,
    PetitionQuerySet,
    PetitionState,
)
from supervision.models import SupervisionNotice, SupervisionNoticeQuerySet

from .models import DailyScreeningReport
from .service_figures import service_figures

CATEGORY_LABELS = dict(DisputeCategory.choices)
TIER_LABELS = {t.value: str(t.label) for t in TIERS}


def day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a day in Asia/Shanghai."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


def period_range(first: datetime.date, last_exclusive: datetime.date):
    return day_range(first)[0], day_range(last_exclusive)[0]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _disputes(town_ids):
    return Dispute.objects.filter(town_id__in=town_ids).counted()


# --- Daily -----------------------------------------------------------------------------------

def daily_figures(*, town, day: datetime.date) -> dict:
    start, end = day_range(day)
    grids = SmallGrid.objects.filter(large_grid__town=town)
    reported_ids = DailyScreeningReport.objects.filter(
        small_grid__large_grid__town=town, date=day).values("small_grid_id")
    missing = list(grids.exclude(id__in=reported_ids).order_by("large_grid__number", "number")
                   .values("id", "name", large_grid_name=F("large_grid__name")))
    cases = _disputes([town.pk]).aggregate(
        new=Count("id", filter=Q(found_at__gte=start, found_at__lt=end)),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        overdue=Count("id", filter=DisputeQuerySet.overdue_q(end)),
        open=Count("id", filter=DisputeQuerySet.open_q()),
    )
    # Overdue as the petition ledger counts it: the acceptance, the reply or a review answer.
    petitions = Petition.objects.filter(town=town).counted().aggregate(
        due=Count("id", filter=(Q(state=PetitionState.REGISTERED, accept_due=day)
                                | Q(state__in=HANDLING_STATES, reply_due=day))),
        overdue=Count("id", filter=PetitionQuerySet.overdue_q(day)),
    )
    notices = SupervisionNotice.objects.filter(town=town).open().aggregate(
        due=Count("id", filter=Q(deadline__gte=start, deadline__lt=end)),
        overdue=Count("id", filter=SupervisionNoticeQuerySet.overdue_q(end)),
    )
    total = grids.count()
    return {
        "date": day.isoformat(),
        "small_grids": total,
        "reported": total - len(missing),
        "missing": missing,
        "new_disputes": cases["new"],
        "resolved_today": cases["resolved"],
        "open_disputes": cases["open"],
        "overdue_disputes": cases["overdue"],
        "petitions_due": petitions["due"],
        "petitions_overdue": petitions["overdue"],
        "notices_due": notices["due"],
        "notices_overdue": notices["overdue"],
    }


def reminder_recipients(*, town, small_grid_ids) -> list:
    """The grid members of the grids that did not report, and their grid leaders."""
    lg_ids = SmallGrid.objects.filter(id__in=small_grid_ids).values("large_grid_id")
    return list(holder_users(role_holders(role=Role.GRID_MEMBER, small_grid_id=small_grid_ids),
                             role_holders(role=Role.GRID_LEADER, large_grid_id=lg_ids)))


# --- Weekly ----------------------------------------------------------------------------------

def screening_compliance(*, town, first: datetime.date, days: int) -> list[dict]:
    """Per large grid: grid-days reported / grid-days expected, counted in SQL."""
    last = first + datetime.timedelta(days=days)
    rows = (LargeGrid.objects.filter(town=town).order_by("number")
            .annotate(small=Count("small_grids", distinct=True),
                      reports=Count("small_grids__screening_reports", distinct=True,
                                    filter=Q(small_grids__screening_reports__date__gte=first,
                                             small_grids__screening_reports__date__lt=last)))
            .values("id", "number", "name", "small", "reports"))
    return [{**r, "expected": r["small"] * days,
             "rate": round(100 * r["reports"] / (r["small"] * days), 1) if r["small"] else 0}
            for r in rows]


def weekly_figures(*, town, week_start: datetime.date) -> dict:
    start, end = period_range(week_start, week_start + datetime.timedelta(days=7))
    qs = _disputes([town.pk])
    totals = qs.aggregate(
        new=Count("id", filter=Q(found_at__gte=start, found_at__lt=end)),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        referred=Count("id", filter=Q(referred_at__gte=start, referred_at__lt=end)),
        # Mediations ended without agreement count apart from referrals (人民调解法 第二十六条).
        terminated=Count("id", filter=Q(terminated_at__gte=start, terminated_at__lt=end)),
        pending=Count("id", filter=DisputeQuerySet.open_q()),
    )
    pending = qs.open()
    by_grid = list(pending.values(large_grid=F("small_grid__large_grid__name"))
                   .annotate(n=Count("id")).order_by("-n", "large_grid"))
    by_type = [{"category": r["category"], "label": str(CATEGORY_LABELS[r["category"]]),
                "n": r["n"]} for r in pending.values("category").annotate(n=Count("id"))
               .order_by("-n", "category")]
    # In ladder order (disputes.states.TIERS), not by count or name: how the cases stand.
    pending_states = {r["state"]: r["n"] for r in pending.values("state").annotate(n=Count("id"))}
    by_tier = [{"tier": t.value, "label": TIER_LABELS[t.value], "n": pending_states[t.value]}
               for t in TIERS if pending_states.get(t.value)]
    overdue = list(qs.overdue(at=end).order_by("tier_due_at")
                   .values("id", "number", "title", "state", handler_name=F("handler__name"),
                           due=F("tier_due_at"))[:100])
    for row in overdue:
        row["due"] = timezone.localtime(row["due"]).strftime("%Y-%m-%d %H:%M")
        row["tier"] = TIER_LABELS.get(row.pop("state"), "")
    notices = list(SupervisionNotice.objects.filter(town=town).open()
                   .order_by("deadline").values("id", "number", "title", "state",
                                                responsible_name=F("responsible__name"),
                                                due=F("deadline"))[:100])
    for row in notices:
        row["overdue"] = row["due"] < end
        row["due"] = timezone.localtime(row["due"]).strftime("%Y-%m-%d %H:%M")
    next_week = week_start + datetime.timedelta(days=14)
    petitions = list(Petition.objects.filter(town=town).filter(
        PetitionQuerySet.due_before_q(next_week))
        .order_by("accept_due", "reply_due")
        .values("id", "number", "subject", "state", "accept_due", "reply_due",
                handler_name=F("handler__name"))[:100])
    for row in petitions:
        due = row["accept_due"] if row["state"] == PetitionState.REGISTERED else row["reply_due"]
        row.pop("accept_due"), row.pop("reply_due")
        row["due"] = due.isoformat() if due else ""
    return {
        "week_start": week_start.isoformat(),
        "week_end": (week_start + datetime.timedelta(days=6)).isoformat(),
        **totals,
        "pending_by_grid": by_grid, "pending_by_type": by_type, "pending_by_tier": by_tier,
        "overdue": overdue, "open_notices": notices, "petitions_due": petitions,
        "screening": screening_compliance(town=town, first=week_start, days=7),
    }


# --- Monthly ---------------------------------------------------------------------------------

def _duration_days_sql() -> str:
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (ended - started)) / 86400.0"
    return "(julianday(ended) - julianday(started))"


def tier_durations(*, town, start, end) -> list[dict]:
    """Mean and 90th-percentile (nearest rank) days spent per tier, for tier steps that ended
    in [start, end), computed with window functions in the database. Voided cases (entered
    in error) count nowhere, here as in every other figure."""
    sql = f"""
        WITH steps AS (
            SELECT e.to_state AS tier, e.created_at AS started,
                   LEAD(e.created_at) OVER (PARTITION BY e.dispute_id
                                            ORDER BY e.created_at, e.id) AS ended
            FROM disputes_disputeevent e
            JOIN disputes_dispute d ON d.id = e.dispute_id
            WHERE d.town_id = %s AND d.state <> %s AND e.from_state <> e.to_state
        ), durations AS (
            SELECT tier, {_duration_days_sql()} AS days FROM steps
            WHERE ended IS NOT NULL AND ended >= %s AND ended < %s
              AND tier IN ({", ".join(["%s"] * len(TIERS))})
        ), ranked AS (
            SELECT tier, days,
                   ROW_NUMBER() OVER (PARTITION BY tier ORDER BY days) AS rn,
                   COUNT(*) OVER (PARTITION BY tier) AS n
            FROM durations
        )
        SELECT tier, COUNT(*), AVG(days),
               MIN(CASE WHEN rn >= (9 * n + 9) / 10 THEN days END)
        FROM ranked GROUP BY tier
    """
    with connection.cursor() as cursor:
        ops = connection.ops
        cursor.execute(sql, [town.pk, DisputeState.VOIDED.value,
                             ops.adapt_datetimefield_value(start),
                             ops.adapt_datetimefield_value(end), *[t.value for t in TIERS]])
        rows = {tier: (count, mean, p90) for tier, count, mean, p90 in cursor.fetchall()}
    return [{"tier": t.value, "label": str(t.label), "count": rows.get(t.value, (0,))[0],
             "mean_days": round(float(rows[t.value][1]), 1) if t.value in rows else None,
             "p90_days": round(float(rows[t.value][2]), 1) if t.value in rows else None}
            for t in TIERS]


def _counts(town, start, end) -> dict:
    return _disputes([town.pk]).aggregate(
        new=Count("id", filter=Q(found_at__gte=start, found_at__lt=end)),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        referred=Count("id", filter=Q(referred_at__gte=start, referred_at__lt=end)),
        # Mediations ended without agreement count apart from referrals (人民调解法 第二十六条).
        terminated=Count("id", filter=Q(terminated_at__gte=start, terminated_at__lt=end)),
    )


def monthly_figures(*, town, month: datetime.date) -> dict:
    month = month_start(month)
    start, end = period_range(month, add_months(month, 1))
    last = _counts(town, *period_range(add_months(month, -1), month))
    last_year = _counts(town, *period_range(add_months(month, -12), add_months(month, -11)))
    this = _counts(town, start, end)
    new_qs = _disputes([town.pk]).filter(found_at__gte=start, found_at__lt=end)
    hot_grids = list(new_qs.values(large_grid=F("small_grid__large_grid__name"))
                     .annotate(n=Count("id")).order_by("-n", "large_grid")[:11])
    hot_types = [{"label": str(CATEGORY_LABELS[r["category"]]), "n": r["n"]}
                 for r in new_qs.values("category").annotate(n=Count("id"))
                 .order_by("-n", "category")]
    year_ago = start - datetime.timedelta(days=365)
    repeat_parties = list(
        Party.objects.filter(dispute__town=town, dispute__found_at__gte=year_ago,
                             dispute__found_at__lt=end)
        .exclude(dispute__state=DisputeState.VOIDED)
        .values("name").annotate(n=Count("dispute", distinct=True)).filter(n__gte=2)
        .order_by("-n", "name")[:20])
    repeat_places = list(
        new_qs.values(small_grid_name=F("small_grid__name"))
        .annotate(n=Count("id")).filter(n__gte=2).order_by("-n", "small_grid_name")[:20])
    risky = list(_disputes([town.pk]).filter(risk_level__in=[RiskLevel.RED, RiskLevel.YELLOW])
                 .filter(Q(found_at__gte=start, found_at__lt=end) | DisputeQuerySet.open_q())
        .order_by("risk_level", "-found_at")
        .values("id", "number", "title", "risk_level", "state")[:50])
    resolved_qs = _disputes([town.pk]).filter(resolved_at__gte=start, resolved_at__lt=end)
    by_tier = {r["resolved_tier"]: r["n"] for r in
               resolved_qs.values("resolved_tier").annotate(n=Count("id"))}
    defence = [{"tier": t.value, "label": str(t.label), "n": by_tier.get(t.value, 0)}
               for t in TIERS]
    referrals = list(_disputes([town.pk]).filter(referred_at__gte=start, referred_at__lt=end)
                     .values("referred_to").annotate(n=Count("id")).order_by("referred_to"))
    # Skip-level (越级访) petitions are counted by the petitions' own rule
    # (PetitionQuerySet.skip_level_q): a visit this month, while open here, to a level the
    # county counts as skip-level. Evaluations are the petitioners' own (信访工作条例 第二十一条).
    next_month = add_months(month, 1)
    received = Q(received_on__gte=month, received_on__lt=next_month)

    def evaluated(evaluation=None):
        return PetitionQuerySet.evaluated_q(start=month, end=next_month, evaluation=evaluation)

    petitions = Petition.objects.filter(town=town).counted().aggregate(
        received=Count("id", distinct=True, filter=received),
        accepted=Count("id", distinct=True,
                       filter=Q(accepted_on__gte=month, accepted_on__lt=next_month)),
        replied=Count("id", distinct=True,
                      filter=Q(replied_on__gte=month, replied_on__lt=next_month)),
        closed=Count("id", distinct=True, filter=Q(closed_on__gte=month, closed_on__lt=next_month)),
        repeat=Count("id", distinct=True, filter=received & Q(repeat_of__isnull=False)),
        group=Count("id", distinct=True, filter=received & PetitionQuerySet.group_q()),
        skip_level=Count("id", distinct=True,
                         filter=PetitionQuerySet.skip_level_q(start=month, end=next_month)),
        transferred=Count("id", distinct=True,
                          filter=Q(transferred_on__gte=month, transferred_on__lt=next_month)),
        evaluated=Count("id", distinct=True, filter=evaluated()),
        satisfied=Count("id", distinct=True, filter=evaluated(Evaluation.SATISFIED)),
        basically_satisfied=Count("id", distinct=True,
                                  filter=evaluated(Evaluation.BASICALLY_SATISFIED)),
        dissatisfied=Count("id", distinct=True, filter=evaluated(Evaluation.DISSATISFIED)),
    )
    notices = SupervisionNotice.objects.filter(town=town).aggregate(
        issued=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        verified=Count("id", filter=Q(verified_at__gte=start, verified_at__lt=end)),
        open_overdue=Count("id", filter=SupervisionNoticeQuerySet.overdue_q(end)),
    )
    trend = monthly_series(town_ids=[town.pk], first=add_months(month, -11),
                           last_exclusive=add_months(month, 1))
    return {
        "month": month.isoformat(),
        "this_month": this, "last_month": last, "same_month_last_year": last_year,
        "hot_grids": hot_grids, "hot_types": hot_types,
        "repeat_parties": repeat_parties, "repeat_places": repeat_places,
        "risky_cases": risky, "resolved_by_defence": defence, "referrals": referrals,
        "tier_days": tier_durations(town=town, start=start, end=end),
        "petitions": petitions, "notices": notices, "trend": trend,
        "satisfaction": satisfaction_figures(town=town, month=month),
        "services": service_figures(town=town, start=start, end=end),
    }


def satisfaction_figures(*, town, month: datetime.date) -> dict:
    """The parties' and petitioners' own ratings given in ``month`` (满意 / 基本满意 /
    不满意), by village (large grid) and, for disputes, by the tier that resolved or ended
    the mediation (README, "What it does": satisfaction)."""
    month = month_start(month)
    period = Q(evaluated_on__gte=month, evaluated_on__lt=add_months(month, 1))
    grades = [g.value for g in Evaluation]
    tier_labels = {t.value: str(t.label) for t in TIERS}

    def rows(qs, key: str, labels=None):
        table: dict[str, dict] = {}
        for r in qs.values(key, "evaluation").annotate(n=Count("id")).order_by(key):
            name = (labels or {}).get(r[key], r[key]) or "—"
            table.setdefault(name, dict.fromkeys(grades, 0))[r["evaluation"]] = r["n"]
        return [{"label": name, **counts, "total": sum(counts.values())}
                for name, counts in table.items()]

    disputes = Dispute.objects.filter(period, town=town).exclude(evaluation="")
    by_tier = disputes.annotate(tier=Coalesce(NullIf("resolved_tier", Value("")),
                                              "terminated_from_tier"))
    petitions = Petition.objects.filter(period, town=town).exclude(evaluation="")
    return {
        "grades": grades,
        "disputes_by_village": rows(disputes, "small_grid__large_grid__name"),
        "disputes_by_tier": rows(by_tier, "tier", tier_labels),
        "petitions_by_village": rows(petitions, "small_grid__large_grid__name"),
    }


def monthly_series(*, town_ids, first: datetime.date, last_exclusive: datetime.date) -> list:
    """New and resolved cases per month (TruncMonth in Asia/Shanghai), zero-filled."""
    # From the summary rows kept as cases are written (disputes.tallies), not a scan.
    counts = month_series(town_ids=town_ids, first=first, last_exclusive=last_exclusive)
    return series_from(counts, first=first, last_exclusive=last_exclusive)


def series_from(counts: dict, *, first: datetime.date, last_exclusive: datetime.date) -> list:
    """``monthly_series`` from ``{(measure, month): n}`` already read."""
    series, month = [], first
    while month < last_exclusive:
        series.append({"month": month.strftime("%Y-%m"), "new": counts.get(("found", month), 0),
                       "resolved": counts.get(("resolved", month), 0)})
        month = add_months(month, 1)
    return series
