"""The states and choices of reporting upward, apart from the models; and the one table that
maps a case's source to the statistics report's source columns."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from disputes.states import DisputeSource


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已上报")
    SUPERSEDED = "superseded", _("已更正（被新版本取代）")


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class BulletinKind(models.TextChoices):
    WEEKLY = "weekly", _("周通报")
    MONTHLY = "monthly", _("月通报")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月报")
    QUARTER = "quarter", _("季报")
    YEAR = "year", _("年报")


class ReportSource(models.TextChoices):
    """The source columns of the statistics report: the mediation committee's own initiative
    (主动调解), a party's application (申请调解), or entrusted / transferred (委托移送) by the
    court, the police, the petition office or another body."""

    INITIATIVE = "initiative", _("主动调解")
    APPLICATION = "application", _("申请调解")
    COURT = "court", _("委托移送：法院")
    POLICE = "police", _("委托移送：公安")
    PETITION = "petition", _("委托移送：信访")
    OTHER = "other", _("委托移送：其他")


# Each source a case is logged with, counted in one column of the report. Found by the
# committee's own screening or a grid's report → own initiative; a party asking or walking
# in → application; handed over by a court, the police, the petition office or the
# government → entrusted or transferred.
REPORT_SOURCE_OF = {
    DisputeSource.SCREENING: ReportSource.INITIATIVE,
    DisputeSource.GRID_REPORT: ReportSource.INITIATIVE,
    DisputeSource.APPLICATION: ReportSource.APPLICATION,
    DisputeSource.WALK_IN: ReportSource.APPLICATION,
    DisputeSource.COURT_ENTRUSTMENT: ReportSource.COURT,
    DisputeSource.POLICE_HANDOVER: ReportSource.POLICE,
    DisputeSource.PETITION_DOCKING: ReportSource.PETITION,
    DisputeSource.GOVERNMENT_ASSIGNED: ReportSource.OTHER,
}


def case_sources(report_source: str) -> list[str]:
    """The case sources counted in one report column."""
    return [s.value for s, r in REPORT_SOURCE_OF.items() if r == report_source]
