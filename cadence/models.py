"""The "three ones" (三个一, docs/domain.md "民情下访"): screen and resolve every day, dispatch and
summarise every week, analyse and judge every month. Stored figures read the same next year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.models import Dispute
from grid.models import SmallGrid, Staff, Town


class ScreeningArea(models.TextChoices):
    """What a grid member checks (docs/domain.md: needs are screened across ...)."""

    PRODUCTION_LIVELIHOOD = "production_livelihood", _("生产生活")
    SCHOOLING_MEDICAL = "schooling_medical", _("上学就医")
    WORK_TRAVEL = "work_travel", _("务工出行")
    NEIGHBOUR_RELATIONS = "neighbour_relations", _("邻里关系")
    SPECIAL_GROUPS = "special_groups", _("特殊人群")
    SAFETY_HAZARDS = "safety_hazards", _("安全隐患")


class DailyScreeningReport(models.Model):
    """A small grid's daily screening report (一日一排查化解); "nothing found" is a report
    too (零报告). One per grid per day, editable that day."""

    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT,
                                   related_name="screening_reports", verbose_name=_("小网格"))
    date = models.DateField(_("排查日期"), default=timezone.localdate, db_index=True)
    reporter = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("报告人"))
    areas = models.JSONField(_("排查内容"), default=list)
    nothing_found = models.BooleanField(_("零报告（未发现矛盾纠纷）"), default=False)
    findings = models.TextField(_("发现的问题"), blank=True)
    disputes = models.ManyToManyField(Dispute, blank=True, related_name="screening_reports",
                                      verbose_name=_("由此登记的纠纷"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("填报账号"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("每日排查报告")
        verbose_name_plural = _("每日排查报告")
        ordering = ["-date", "small_grid_id"]
        constraints = [
            models.UniqueConstraint(fields=["small_grid", "date"],
                                    name="cadence_one_report_per_grid_per_day"),
        ]

    def __str__(self):
        return f"{self.small_grid} {self.date}"

    @property
    def editable(self) -> bool:
        return self.date == timezone.localdate()


class DailyRecord(models.Model):
    """The evening sweep's record of a town's day."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="daily_records",
                             verbose_name=_("镇"))
    date = models.DateField(_("日期"))
    figures = models.JSONField(_("数据"))
    reminders_sent_at = models.DateTimeField(_("提醒发送时间"), null=True, blank=True)
    computed_at = models.DateTimeField(_("统计时间"), auto_now=True)

    class Meta:
        verbose_name = _("每日排查汇总")
        verbose_name_plural = _("每日排查汇总")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["town", "date"],
                                               name="cadence_daily_once")]

    def __str__(self):
        return f"{self.town} {self.date}"

    def get_absolute_url(self):
        return reverse("cadence:daily", args=[self.town_id, self.date.isoformat()])


class WeeklySummary(models.Model):
    """一周一调度汇总: Monday morning's summary of the past week (Monday–Sunday)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="weekly_summaries",
                             verbose_name=_("镇"))
    week_start = models.DateField(_("周一"))
    figures = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("统计时间"), auto_now=True)

    class Meta:
        verbose_name = _("每周调度汇总")
        verbose_name_plural = _("每周调度汇总")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["town", "week_start"],
                                               name="cadence_weekly_once")]

    def __str__(self):
        return f"{self.town} {self.week_start}"

    def get_absolute_url(self):
        return reverse("cadence:weekly", args=[self.pk])


class MonthlyAnalysis(models.Model):
    """一月一分析研判: the 1st's analysis of the past month, with leadership's judgement."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="monthly_analyses",
                             verbose_name=_("镇"))
    month = models.DateField(_("月份（当月1日）"))
    figures = models.JSONField(_("数据"))
    judgement = models.TextField(_("研判意见"), blank=True)
    decisions = models.TextField(_("工作部署"), blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("研判人"))
    judged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    computed_at = models.DateTimeField(_("统计时间"), auto_now=True)

    class Meta:
        verbose_name = _("每月分析研判")
        verbose_name_plural = _("每月分析研判")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["town", "month"],
                                               name="cadence_monthly_once")]

    def __str__(self):
        return f"{self.town} {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("cadence:monthly", args=[self.pk])
