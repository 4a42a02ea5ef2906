"""The monthly analysis's and the dashboard's figures of the work beside mediation, kept in
their own functions: legal aid (counted apart from mediation, as the source reports "3
legal-aid cases" beside 104 mediated disputes), consultations and publicity by village,
priority service by group, the service units' work, and referrals waiting on their receiving
unit. JSON-ready (the monthly analysis stores its figures)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.priority import PriorityGroup
from disputes.models import Dispute, DisputeReferral, DisputeReferralQuerySet, Party
from grid.models import ServiceUnit
from legalaid.models import Consultation, LegalAidMatter, LegalAidMatterQuerySet, PublicityEvent
from legalaid.selectors import unit_figures
from legalaid.states import LegalAidState

GROUP_LABELS = dict(PriorityGroup.choices)


def _by_village(qs, measure=None) -> list[dict]:
    rows = qs.values("large_grid__name").order_by("large_grid__name").annotate(
        n=Count("id"), **({"total": Sum(measure)} if measure else {}))
    return [{"village": r["large_grid__name"] or "镇", "n": r["n"],
             **({"total": r["total"] or 0} if measure else {})} for r in rows]


def service_figures(*, town, start: datetime.datetime, end: datetime.datetime) -> dict:
    """The month ``start``–``end`` (aware datetimes) of ``town``."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    year_first = first.replace(month=1, day=1)
    matters = LegalAidMatter.objects.filter(town=town).counted()
    in_month = Q(applied_on__gte=first, applied_on__lt=last)
    legal_aid = matters.aggregate(
        received=Count("id", filter=in_month),
        concluded=Count("id", filter=Q(state=LegalAidState.CONCLUDED, concluded_on__gte=first,
                                       concluded_on__lt=last)),
        open=Count("id", filter=LegalAidMatterQuerySet.open_q()),
        year=Count("id", filter=Q(applied_on__gte=year_first, applied_on__lt=last)),
        priority=Count("id", filter=in_month & ~Q(applicant_group="")))
    consultations = Consultation.objects.filter(town=town, consulted_on__gte=first,
                                                consulted_on__lt=last)
    publicity = PublicityEvent.objects.filter(town=town, held_on__gte=first, held_on__lt=last)
    party_groups = dict(Party.objects.filter(
        dispute__town=town, dispute__found_at__gte=start, dispute__found_at__lt=end)
        .exclude(priority_group="").values("priority_group").order_by()
        .annotate(n=Count("dispute", distinct=True)).values_list("priority_group", "n"))
    aid_groups = dict(matters.filter(in_month).exclude(applicant_group="")
                      .values("applicant_group").order_by().annotate(n=Count("id"))
                      .values_list("applicant_group", "n"))
    asked_groups = dict(consultations.exclude(asker_group="").values("asker_group").order_by()
                        .annotate(n=Count("id")).values_list("asker_group", "n"))
    priority = [{"group": g, "label": str(GROUP_LABELS[g]), "disputes": party_groups.get(g, 0),
                 "legal_aid": aid_groups.get(g, 0), "consultations": asked_groups.get(g, 0)}
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
        "consultations": {"n": consultations.count(),
                          "referred": consultations.filter(referred_onward=True).count(),
                          "by_village": _by_village(consultations)},
        "publicity": {**publicity.aggregate(n=Count("id"), audience=Sum("audience")),
                      "by_village": _by_village(publicity, "audience")},
        "priority": priority,
        "units": units,
        "referrals": referrals,
    }


def dashboard_services(*, town_ids) -> dict:
    """The home page's figures of legal aid and referrals: this year's matters (apart from
    mediation), those open, and referrals whose receiving unit is late."""
    today = timezone.localdate()
    now = timezone.now()
    matters = LegalAidMatter.objects.filter(town_id__in=town_ids).counted().aggregate(
        year=Count("id", filter=Q(applied_on__year=today.year)),
        open=Count("id", filter=LegalAidMatterQuerySet.open_q()))
    late = DisputeReferral.objects.filter(dispute__town_id__in=town_ids).filter(
        (DisputeReferralQuerySet.awaiting_receipt_q() & Q(receipt_due__lt=now))
        | (DisputeReferralQuerySet.awaiting_result_q() & Q(result_due__lt=now))).count()
    priority_open = Dispute.objects.filter(town_id__in=town_ids, priority=True).open().count()
    return {"legal_aid_year": matters["year"], "legal_aid_open": matters["open"],
            "referrals_late": late, "priority_open": priority_open}
