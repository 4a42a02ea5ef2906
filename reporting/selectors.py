"""Reads of reporting upward, narrowed by the scope rule (``grid.scope``)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from grid.models import Town
from grid.scope import filter_full_towns, scope_for_user

from .figures import sum_figures
from .models import Bulletin, BulletinRecipient, StatisticsReport
from .periods import Period
from .states import BulletinState, ReportState


def report_towns(*, user) -> QuerySet[Town]:
    """Towns whose reports the user reads: those covered whole (the town's offices and
    leadership, county users for every town of the county, administrators)."""
    return filter_full_towns(Town.objects.select_related("county").order_by("code"), user)


def report_list_for_user(*, user) -> QuerySet[StatisticsReport]:
    return (StatisticsReport.objects.filter(town__in=report_towns(user=user))
            .select_related("town", "handler", "prepared_by"))


def report_get_for_user(*, user, pk: int) -> StatisticsReport:
    """One report; ``StatisticsReport.DoesNotExist`` outside the scope."""
    return (report_list_for_user(user=user)
            .select_related("corrects").prefetch_related("corrections").get(pk=pk))


def report_in_force(*, town, period: Period) -> StatisticsReport | None:
    return (StatisticsReport.objects.filter(town=town, period=period.code)
            .exclude(state=ReportState.SUPERSEDED).first())


def county_rollup(*, user, period: Period) -> dict:
    """Every town the user reads with its filed report for ``period`` (the version in force),
    the towns that have not filed, and the county total: two queries (after the user's
    scope) whatever the number of towns or cases."""
    towns = list(report_towns(user=user))
    filed = {r.town_id: r for r in StatisticsReport.objects.filed().filter(
        town__in=[t.pk for t in towns], period=period.code).select_related("handler")}
    rows, missing = [], []
    for town in towns:
        report = filed.get(town.pk)
        if report is None:
            missing.append(town)
        else:
            rows.append({"town": town, "report": report, "total": report.figures["total"]})
    by_category, total = sum_figures([r["report"].figures for r in rows])
    return {"period": period, "towns": towns, "rows": rows, "missing": missing,
            "by_category": by_category, "total": total}


def bulletin_list_for_user(*, user) -> QuerySet[Bulletin]:
    """Bulletins of the towns the user covers whole, and the issued ones sent to the user."""
    scope = scope_for_user(user)
    qs = Bulletin.objects.select_related("town", "handler")
    if scope.is_global:
        return qs
    sent = BulletinRecipient.objects.filter(user_id=user.pk).values("bulletin_id")
    return qs.filter(Q(town_id__in=scope.full_town_ids)
                     | Q(state=BulletinState.ISSUED, id__in=sent))


def bulletin_get_for_user(*, user, pk: int) -> Bulletin:
    """One bulletin with its recipients; ``Bulletin.DoesNotExist`` outside the scope."""
    return bulletin_list_for_user(user=user).prefetch_related(
        Prefetch("recipients", queryset=BulletinRecipient.objects.select_related(
            "user", "large_grid").order_by("large_grid__number", "id"))).get(pk=pk)
