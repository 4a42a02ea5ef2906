"""Reporting upward (the third of the "four measures", 信息收集通报, docs/domain.md "反馈协调督办"):
the people's-mediation statistics report a town files with the county, and the bulletin
(情况通报) its leadership issues to villages and units.

A filed report keeps the figures counted when it was filed; a correction is a new version
with its reason, and the one it corrects stays, superseded. An issued bulletin keeps its text.
Transitions only move state and stamps; ``reporting.services`` locks, checks, records, notifies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from grid.models import LargeGrid, Staff, Town

from . import permissions
from .states import BulletinKind, BulletinState, PeriodKind, ReportState


class StatisticsReportQuerySet(models.QuerySet):
    def filed(self):
        """The version in force of each filed report (corrected ones left out)."""
        return self.filter(state=ReportState.FILED)


class StatisticsReport(ConcurrentTransitionMixin, models.Model):
    """People's-mediation statistics report (人民调解统计报表) of a town for a month, quarter
    or year: one row per version."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="statistics_reports",
                             verbose_name=_("镇"))
    period = models.CharField(_("统计期间"), max_length=8, db_index=True)
    period_kind = models.CharField(_("报表类型"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("期间起始日"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = FSMField(_("状态"), max_length=12, choices=ReportState.choices,
                     default=ReportState.DRAFT, protected=True)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("更正的版本"))
    correction_reason = models.TextField(_("更正原因"), blank=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("填报人"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("制表账号"))
    created_at = models.DateTimeField(_("制表时间"), default=timezone.now)
    filed_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    objects = StatisticsReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("人民调解统计报表")
        verbose_name_plural = _("人民调解统计报表")
        ordering = ["-period_start", "town_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["town", "period", "version"],
                                    name="reporting_report_version_once"),
            # At most one version in force (draft or filed) per town and period.
            models.UniqueConstraint(fields=["town", "period"],
                                    condition=~Q(state=ReportState.SUPERSEDED),
                                    name="reporting_report_one_in_force"),
        ]

    def __str__(self):
        return f"{self.town} {self.period} v{self.version}"

    def get_absolute_url(self):
        return reverse("reporting:report", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.state != ReportState.DRAFT

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.FILED,
                permission=permissions.can_file)
    def file(self):
        """Filed once: from now on the figures stay as counted (the caller sets them)."""
        self.filed_at = timezone.now()

    @transition(field=state, source=ReportState.FILED, target=ReportState.SUPERSEDED,
                permission=permissions.can_file)
    def correct(self):
        """Corrected by a new version (written by the service); this one stays, superseded."""
        self.superseded_at = timezone.now()


class StatisticsReportEvent(CaseEvent):
    """One row of a report's history: drafted, filed, corrected."""

    class Action(models.TextChoices):
        CREATE = "create", _("制表")
        FILE = "file", _("上报")
        CORRECT = "correct", _("更正")

    report = models.ForeignKey(StatisticsReport, on_delete=models.PROTECT,
                               related_name="events", verbose_name=_("报表"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True,
                                  choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True,
                                choices=ReportState.choices)

    class Meta:
        verbose_name = _("报表记录")
        verbose_name_plural = _("报表记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class Bulletin(ConcurrentTransitionMixin, models.Model):
    """Bulletin (情况通报) on screening and resolution, drafted from the weekly summary or the
    monthly analysis, edited and issued by the town's leadership to villages and units. The
    issued text is kept unchanged."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="bulletins",
                             verbose_name=_("镇"))
    kind = models.CharField(_("类型"), max_length=8, choices=BulletinKind.choices)
    period_start = models.DateField(_("期间起始日"))
    period_end = models.DateField(_("期间截止日"))
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    state = FSMField(_("状态"), max_length=8, choices=BulletinState.choices,
                     default=BulletinState.DRAFT, protected=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("签发人"))
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("情况通报")
        verbose_name_plural = _("情况通报")
        ordering = ["-period_start", "town_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["town", "kind", "period_start"],
                                               name="reporting_bulletin_once")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reporting:bulletin", args=[self.pk])

    @transition(field=state, source=BulletinState.DRAFT, target=BulletinState.ISSUED,
                permission=permissions.can_issue)
    def issue(self):
        self.issued_at = timezone.now()


class BulletinRecipient(models.Model):
    """Who a bulletin went to (a village's grid leader and leaders in charge, the town's
    units), and when they read it."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="recipients",
                                 verbose_name=_("通报"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("接收人"))
    large_grid = models.ForeignKey(LargeGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("村（大网格）"))
    read_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报接收人")
        verbose_name_plural = _("通报接收人")
        ordering = ["bulletin_id", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "user"],
                                               name="reporting_recipient_once")]

    def __str__(self):
        return f"{self.bulletin_id} {self.user_id}"


class BulletinEvent(CaseEvent):
    """One row of a bulletin's history: drafted, edited, issued, read."""

    class Action(models.TextChoices):
        CREATE = "create", _("起草")
        EDIT = "edit", _("修改")
        ISSUE = "issue", _("印发")
        READ = "read", _("阅知")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="events",
                                 verbose_name=_("通报"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=8, blank=True,
                                  choices=BulletinState.choices)
    to_state = models.CharField(_("新状态"), max_length=8, blank=True,
                                choices=BulletinState.choices)

    class Meta:
        verbose_name = _("通报记录")
        verbose_name_plural = _("通报记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.bulletin_id} {self.action}"
