"""The figures of the people's-mediation statistics report (人民调解统计报表), counted by SQL
from the cases: two queries for a town and any period, whatever the number of cases.

Rows are the fifteen categories (``DisputeCategory``) and a total; the columns, in the order
of the printed form, are ``COLUMNS``. For a period [start, end) in Asia/Shanghai, voided cases
(entered in error) left out everywhere:

- 排查 ``screened``: cases found in the period;
- 受理调解 ``accepted``: of those, the ones whose respondent did not refuse mediation
  (a refused case may not be mediated, 人民调解法 第十七条);
- 调解成功 ``succeeded``: cases resolved in the period (resolved or closed since);
- 调解不成（终止） ``terminated``: mediations ended without agreement in the period
  (人民调解法 第二十六条);
- 调解 ``mediated`` = succeeded + terminated: the mediations concluded in the period;
- 成功率 ``success_rate`` = succeeded / mediated, in per cent to one decimal (``None`` when
  nothing was mediated);
- 书面协议 / 口头协议 ``written`` / ``oral``: the succeeded cases by the agreement's form;
- 协议涉及金额 ``amount``: the amount at stake of the succeeded cases with an agreement;
- the sources (``ReportSource``, mapped from the case's source in ``REPORT_SOURCE_OF``):
  screened cases by where they came from;
- the prevention figures (``AvertedRisk``), each as cases and people: succeeded cases whose
  resolution recorded that risk averted, and the people it involved.

The figures are plain JSON (keys and numbers, no labels), so a filed report reads the same
in either language and whatever happens to the cases later.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadence.figures import period_range
from disputes.models import (
    AvertedRisk,
    Dispute,
    DisputeAvertedRisk,
    DisputeCategory,
    DisputeQuerySet,
    MediationAgreement,
    RespondentConsent,
)

from .periods import Period
from .states import ReportSource, case_sources

CASE_COLUMNS = [
    ("screened", _("排查纠纷（件）")),
    ("accepted", _("受理调解（件）")),
    ("mediated", _("调解（件）")),
    ("succeeded", _("调解成功（件）")),
    ("success_rate", _("调解成功率（%）")),
    ("terminated", _("调解不成、终止调解（件）")),
    ("written", _("书面协议（件）")),
    ("oral", _("口头协议（件）")),
    ("amount", _("协议涉及金额（元）")),
]
SOURCE_COLUMNS = [(f"source_{s.value}", s.label) for s in ReportSource]


def _cases_label(risk) -> str:
    return gettext("%(risk)s（件）") % {"risk": risk.label}


def _people_label(risk) -> str:
    return gettext("%(risk)s（人）") % {"risk": risk.label}


PREVENTION_COLUMNS = [
    column for risk in AvertedRisk for column in (
        (f"{risk.value}_cases", lazy(_cases_label, str)(risk)),
        (f"{risk.value}_people", lazy(_people_label, str)(risk)))]
COLUMNS = CASE_COLUMNS + SOURCE_COLUMNS + PREVENTION_COLUMNS
# Columns that add up across rows and towns (the rate is recomputed from its parts).
SUMMED = [key for key, _label in COLUMNS if key != "success_rate"]


def _zero_row() -> dict:
    return {key: 0 for key in SUMMED}


def success_rate(row: dict) -> float | None:
    return round(100 * row["succeeded"] / row["mediated"], 1) if row["mediated"] else None


def finish(rows: dict[str, dict]) -> tuple[list[dict], dict]:
    """Rows in the categories' order with the rate, and their total row."""
    total = _zero_row()
    ordered = []
    for category in DisputeCategory:
        row = rows.get(category.value) or _zero_row()
        row["amount"] = round(float(row["amount"] or 0), 2)
        row["mediated"] = row["succeeded"] + row["terminated"]
        row["success_rate"] = success_rate(row)
        for key in SUMMED:
            total[key] += row[key]
        ordered.append({"category": category.value, **row})
    total["amount"] = round(total["amount"], 2)
    total["success_rate"] = success_rate(total)
    return ordered, total


def statistics_figures(*, town, period: Period) -> dict:
    """The report's figures for ``town`` over ``period``, in two queries (see the module)."""
    start, end = period_range(period.start, period.end)
    found = Q(found_at__gte=start, found_at__lt=end)
    succeeded = Q(resolved_at__gte=start, resolved_at__lt=end) & DisputeQuerySet.resolved_q()
    terminated = Q(terminated_at__gte=start, terminated_at__lt=end) & DisputeQuerySet.terminated_q()
    with_agreement = succeeded & Q(agreement__isnull=False)
    cases = (Dispute.objects.filter(town_id=town.pk).counted()
             .filter(found | succeeded | terminated)
             .values("category").order_by()
             .annotate(
                 screened=Count("id", filter=found),
                 accepted=Count("id", filter=found & ~Q(
                     respondent_consent=RespondentConsent.REFUSED)),
                 succeeded=Count("id", filter=succeeded),
                 terminated=Count("id", filter=terminated),
                 written=Count("id", filter=succeeded & Q(
                     agreement__kind=MediationAgreement.Kind.WRITTEN)),
                 oral=Count("id", filter=succeeded & Q(
                     agreement__kind=MediationAgreement.Kind.ORAL)),
                 amount=Sum("amount_at_stake", filter=with_agreement),
                 **{f"source_{s.value}": Count("id", filter=found & Q(
                     source__in=case_sources(s.value))) for s in ReportSource}))
    rows = {}
    for r in cases:
        category = r.pop("category")
        rows[category] = {**_zero_row(), **r}
    averted = (DisputeAvertedRisk.objects
               .filter(dispute__town_id=town.pk,
                       dispute__resolved_at__gte=start, dispute__resolved_at__lt=end)
               .filter(DisputeQuerySet.resolved_q("dispute__"))
               .values("dispute__category", "kind").order_by()
               .annotate(cases=Count("dispute_id", distinct=True), people=Sum("people")))
    for r in averted:
        row = rows.setdefault(r["dispute__category"], _zero_row())
        row[f"{r['kind']}_cases"] += r["cases"]
        row[f"{r['kind']}_people"] += r["people"]
    ordered, total = finish(rows)
    return {"town": {"id": town.pk, "name": town.name}, "period": period.code,
            "start": period.start.isoformat(), "end": period.last_day.isoformat(),
            "rows": ordered, "total": total, "computed_at": timezone.now().isoformat()}


def sum_figures(reports: list[dict]) -> tuple[list[dict], dict]:
    """Category rows and the total over several towns' figures (the county sheet)."""
    rows: dict[str, dict] = {}
    for figures in reports:
        for r in figures["rows"]:
            row = rows.setdefault(r["category"], _zero_row())
            for key in SUMMED:
                row[key] += r.get(key, 0)
    for row in rows.values():
        row["mediated"] = 0  # recomputed by finish
    return finish(rows)


def column_labels() -> list[dict]:
    return [{"key": key, "label": str(label)} for key, label in COLUMNS]
