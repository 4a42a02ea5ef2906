"""The monthly analysis's and the dashboard's figures of the work beside mediation, kept in
their own functions: legal aid (counted apart from mediation, as the source reports "3
legal-aid cases" beside 104 mediated disputes), consultations and publicity by village,
priority service by group, the service units' work, and referrals waiting on their receiving
unit. JSON-ready (the monthly analysis stores its figures)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.priority import PriorityGroup
from disputes.models import Dispute, DisputeReferral, DisputeReferralQuerySet, Party
from grid.models import ServiceUnit
from legalaid.models import Consultation, LegalAidMatter, LegalAidMatterQuerySet, PublicityEvent
from legalaid.selectors import unit_figures
from legalaid.states import LegalAidState

GROUP_LABELS = dict(PriorityGroup.choices)


def _by_village(qs, **measures) -> list[dict]:
    """Rows per village (large grid; "镇" for the town's own) with ``n`` and ``measures``."""
    rows = qs.values("large_grid__name").order_by("large_grid__name").annotate(
        n=Count("id"), **measures)
    return [{"village": r.pop("large_grid__name") or "镇", **r} for r in rows]


def _group_counts(field: str, within: Q | None = None) -> dict:
    """``Count`` per priority group of ``field`` (within ``within``), for one aggregate."""
    return {f"group_{g}": Count("id", filter=(within or Q()) & Q(**{field: g}))
            for g in PriorityGroup.values}


def service_figures(*, town, start: datetime.datetime, end: datetime.datetime) -> dict:
    """The month ``start``–``end`` (aware datetimes) of ``town``, in a fixed number of
    queries whatever the rows: one each for legal aid, consultations (two: totals and by
    village), publicity, the parties' groups and the referrals, five for the units."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    year_first = first.replace(month=1, day=1)
    in_month = Q(applied_on__gte=first, applied_on__lt=last)
    legal_aid = LegalAidMatter.objects.filter(town=town).counted().aggregate(
        received=Count("id", filter=in_month),
        concluded=Count("id", filter=Q(state=LegalAidState.CONCLUDED, concluded_on__gte=first,
                                       concluded_on__lt=last)),
        open=Count("id", filter=LegalAidMatterQuerySet.open_q()),
        year=Count("id", filter=Q(applied_on__gte=year_first, applied_on__lt=last)),
        priority=Count("id", filter=in_month & ~Q(applicant_group="")),
        **_group_counts("applicant_group", within=in_month))
    consultations = Consultation.objects.filter(town=town, consulted_on__gte=first,
                                                consulted_on__lt=last)
    asked = consultations.aggregate(n=Count("id"), referred=Count("id", filter=Q(
        referred_onward=True)), **_group_counts("asker_group"))
    publicity = _by_village(
        PublicityEvent.objects.filter(town=town, held_on__gte=first, held_on__lt=last),
        total=Sum("audience"))
    party_groups = dict(Party.objects.filter(
        dispute__town=town, dispute__found_at__gte=start, dispute__found_at__lt=end)
        .exclude(priority_group="").values("priority_group").order_by()
        .annotate(n=Count("dispute", distinct=True)).values_list("priority_group", "n"))
    priority = [{"group": g, "label": str(GROUP_LABELS[g]), "disputes": party_groups.get(g, 0),
                 "legal_aid": legal_aid.pop(f"group_{g}"),
                 "consultations": asked.pop(f"group_{g}")}
                for g in PriorityGroup.values]
    units = [{k: v for k, v in row.items() if k != "unit"} for row in unit_figures(
        units=ServiceUnit.objects.filter(town=town), start=start, end=end)]
    referrals = DisputeReferral.objects.filter(dispute__town=town).aggregate(
        sent=Count("id", filter=Q(referred_at__gte=start, referred_at__lt=end)),
        awaiting_receipt=Count("id", filter=DisputeReferralQuerySet.awaiting_receipt_q()
                               & Q(receipt_due__lt=end)),
        awaiting_result=Count("id", filter=DisputeReferralQuerySet.awaiting_result_q()
                              & Q(result_due__lt=end)),
        results=Count("id", filter=Q(result_at__gte=start, result_at__lt=end)))
    return {
        "legal_aid": legal_aid,
        "consultations": {**asked, "by_village": _by_village(consultations)},
        "publicity": {"n": sum(r["n"] for r in publicity),
                      "audience": sum(r["total"] or 0 for r in publicity),
                      "by_village": publicity},
        "priority": priority,
        "units": units,
        "referrals": referrals,
    }


def dashboard_services(*, town_ids) -> dict[str, QuerySet]:
    """The home page's figures of legal aid and referrals, as the querysets to count (the
    dashboard counts them with its own in one query, ``core.counts``): this year's matters
    (apart from mediation), those open, referrals whose receiving unit is late, and open
    cases of people served first."""
    today = timezone.localdate()
    now = timezone.now()
    matters = LegalAidMatter.objects.filter(town_id__in=town_ids).counted()
    return {
        "legal_aid_year": matters.filter(applied_on__year=today.year),
        "legal_aid_open": matters.filter(LegalAidMatterQuerySet.open_q()),
        "referrals_late": DisputeReferral.objects.filter(dispute__town_id__in=town_ids).filter(
            (DisputeReferralQuerySet.awaiting_receipt_q() & Q(receipt_due__lt=now))
            | (DisputeReferralQuerySet.awaiting_result_q() & Q(result_due__lt=now))),
        "priority_open": Dispute.objects.filter(town_id__in=town_ids, priority=True).open(),
    }
