"""What a bulletin (情况通报) says, counted when it is drafted: the screening report rate per
village, the cases and notices overdue named by village and person, the skip-level and group
petitions of the period, and what comes next. A fixed number of queries per bulletin."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence.figures import TIER_LABELS, period_range, screening_compliance
from cadence.models import WeeklySummary
from disputes.models import Dispute
from petitions.models import Petition, PetitionQuerySet
from supervision.models import SupervisionNotice

from .states import BulletinKind

LIMIT = 100


def bulletin_title(*, town, kind: str, start: datetime.date, end: datetime.date) -> str:
    if kind == BulletinKind.WEEKLY:
        return _("%(town)s矛盾纠纷排查化解情况通报（%(start)s至%(end)s）") % {
            "town": town.name, "start": start.isoformat(), "end": end.isoformat()}
    return _("%(town)s%(y)s年%(m)s月矛盾纠纷排查化解情况通报") % {
        "town": town.name, "y": start.year, "m": start.month}


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def bulletin_figures(*, source) -> dict:
    """The bulletin's figures from a ``WeeklySummary`` or a ``MonthlyAnalysis``."""
    town = source.town
    if isinstance(source, WeeklySummary):
        first = source.week_start
        last = first + datetime.timedelta(days=6)
        f = source.figures
        totals = {k: f.get(k, 0) for k in ("new", "resolved", "referred", "terminated",
                                           "pending")}
        screening = f.get("screening") or screening_compliance(town=town, first=first, days=7)
        next_steps = ""
    else:
        first = source.month
        days = calendar.monthrange(first.year, first.month)[1]
        last = first + datetime.timedelta(days=days - 1)
        f = source.figures.get("this_month", {})
        totals = {k: f.get(k, 0) for k in ("new", "resolved", "referred", "terminated")}
        screening = screening_compliance(town=town, first=first, days=days)
        next_steps = source.decisions or ""
    start, end = period_range(first, last + datetime.timedelta(days=1))
    overdue = list(
        Dispute.objects.filter(town=town).counted().overdue(at=end)
        .order_by("small_grid__large_grid__number", "tier_due_at")
        .values("number", "title", "state", village=F("small_grid__large_grid__name"),
                person=F("handler__name"), due=F("tier_due_at"))[:LIMIT])
    for row in overdue:
        row["due"] = _local(row["due"])
        row["tier"] = TIER_LABELS.get(row.pop("state"), "")
    notices = list(
        SupervisionNotice.objects.filter(town=town).overdue(at=end).order_by("deadline")
        .values("id", "number", "title", person=F("responsible__name"),
                due=F("deadline"))[:LIMIT])
    villages: dict = {}
    through = SupervisionNotice.target_large_grids.through
    for notice_id, name in through.objects.filter(
            supervisionnotice_id__in=[n["id"] for n in notices]).values_list(
            "supervisionnotice_id", "largegrid__name").order_by("largegrid__number"):
        villages.setdefault(notice_id, []).append(name)
    for row in notices:
        row["village"] = "、".join(villages.get(row.pop("id"), []))
        row["due"] = _local(row["due"])
    petitions = Petition.objects.filter(town=town)
    fields = {"village": F("small_grid__large_grid__name"), "person": F("handler__name")}
    skip_level = list(petitions.filter(PetitionQuerySet.skip_level_q(
        start=first, end=last + datetime.timedelta(days=1))).order_by("received_on")
        .values("number", "subject", **fields)[:LIMIT])
    group = list(petitions.filter(PetitionQuerySet.group_q(), received_on__gte=first,
                                  received_on__lte=last).order_by("received_on")
                 .values("number", "subject", "people_count", **fields)[:LIMIT])
    return {
        "period_start": first.isoformat(), "period_end": last.isoformat(),
        "totals": totals,
        "screening": [{"village": r["name"], "expected": r["expected"],
                       "reports": r["reports"], "rate": r["rate"]} for r in screening],
        "overdue_cases": overdue, "overdue_notices": notices,
        "skip_level_petitions": skip_level, "group_petitions": group,
        "next_steps": next_steps,
    }
