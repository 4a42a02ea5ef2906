"""Feedback, coordination and supervision (docs/domain.md, "反馈协调督办"): stability-risk
assessments, supervision and early-warning notices with the four fixes (四定), responsibility
tracing (责任倒查), and the record of deadline alerts sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from core.stored_text import shown
from disputes.models import Dispute, RiskLevel
from grid.models import LargeGrid, SmallGrid, Staff, Town
from petitions.models import Petition

from . import permissions
from .states import (  # noqa: F401  (re-exported: the enums' old home)
    NoticeKind,
    NoticeState,
    TargetOffice,
    Urgency,
)


class InstabilityReport(models.Model):
    """An informant's report of instability with no case yet (不稳定信息)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="instability_reports",
                             verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("小网格"))
    content = models.TextField(_("不稳定信息"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告人"))
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)

    class Meta:
        verbose_name = _("不稳定信息报告")
        verbose_name_plural = _("不稳定信息报告")
        ordering = ["-reported_at"]

    def __str__(self):
        return self.content[:40]


class RiskAssessment(models.Model):
    """Stability-risk assessment (稳定风险评估) of a dispute, a petition or an instability
    report. Pending until assessed; a red assessment proposes a notice."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="risk_assessments",
                             verbose_name=_("镇"))
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="risk_assessments", verbose_name=_("纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="risk_assessments", verbose_name=_("信访事项"))
    report = models.ForeignKey(InstabilityReport, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="assessments",
                               verbose_name=_("不稳定信息"))
    requested_reason = models.TextField(_("提请评估的理由"), blank=True)
    # A reason the system wrote, kept as its message id and parameters (core.stored_text),
    # shown in each reader's language; a typed reason is only in ``requested_reason``.
    requested_reason_text = models.JSONField(_("提请评估的理由（多语言）"), null=True,
                                             blank=True, editable=False)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    reasons = models.TextField(_("评估意见"), blank=True)
    assessor = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("评估人"))
    assessed_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("稳定风险评估")
        verbose_name_plural = _("稳定风险评估")
        ordering = ["assessed_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(dispute__isnull=False, petition__isnull=True, report__isnull=True)
                           | Q(dispute__isnull=True, petition__isnull=False, report__isnull=True)
                           | Q(dispute__isnull=True, petition__isnull=True,
                               report__isnull=False)),
                name="supervision_assessment_one_subject"),
        ]

    def __str__(self):
        level = self.get_level_display() if self.level else _("待评估")
        return f"{self.subject_label} {level}"

    def get_absolute_url(self):
        return reverse("supervision:assessment", args=[self.pk])

    @property
    def subject(self):
        return self.dispute or self.petition or self.report

    @property
    def requested_reason_display(self) -> str:
        """The reason in the active language (a typed one as typed)."""
        return shown(self.requested_reason_text, self.requested_reason)

    @property
    def subject_label(self) -> str:
        if self.dispute_id:
            return self.dispute.number
        if self.petition_id:
            return self.petition.number
        return str(_("不稳定信息"))

    @property
    def is_pending(self) -> bool:
        return self.assessed_at is None

    @property
    def proposes_notice(self) -> bool:
        return self.level == RiskLevel.RED


class SupervisionNoticeQuerySet(models.QuerySet):
    """The predicates on notices, each stated once: the ledger, the queue, the deadline
    alerts, the three sweeps and the dashboard all call these. The ``*_q`` builders return the
    same rule as a ``Q`` for aggregates."""

    @staticmethod
    def open_q() -> Q:
        """Not yet verified as done: issued, acknowledged, reported or returned."""
        return ~Q(state=NoticeState.VERIFIED)

    @classmethod
    def overdue_q(cls, at) -> Q:
        """Past the deadline at ``at`` without a verified result (computed, never typed)."""
        return cls.open_q() & Q(deadline__lt=at)

    def open(self):
        return self.filter(self.open_q())

    def overdue(self, *, at=None):
        """Notices overdue at ``at`` (now by default)."""
        return self.filter(self.overdue_q(at or timezone.now()))


class SupervisionNotice(ConcurrentTransitionMixin, models.Model):
    """Supervision notice (督办件) or early-warning notice (预警通知) with the four fixes
    (四定: leader, measures, responsible person, deadline), all required."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="notices",
                             verbose_name=_("镇"))
    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=40, unique=True)
    title = models.CharField(_("事由"), max_length=120)
    situation = models.TextField(_("基本情况"))
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="notices", verbose_name=_("涉及纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="notices", verbose_name=_("涉及信访事项"))
    instability_report = models.ForeignKey(InstabilityReport, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="notices",
                                           verbose_name=_("涉及不稳定信息"))
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="notices",
                                   verbose_name=_("风险评估"))
    target_large_grids = models.ManyToManyField(LargeGrid, blank=True, related_name="notices",
                                                verbose_name=_("责任村（大网格）"))
    target_offices = models.JSONField(_("责任单位"), default=list, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices,
                               default=Urgency.ORDINARY)
    # 四定
    leader_in_charge = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("包抓领导（定领导）"))
    measures = models.TextField(_("工作措施（定措施）"))
    responsible = models.ForeignKey(Staff, on_delete=models.PROTECT,
                                    related_name="responsible_notices",
                                    verbose_name=_("责任人（定责任）"))
    deadline = models.DateTimeField(_("办结时限（定时限）"))

    state = FSMField(_("状态"), max_length=16, choices=NoticeState.choices,
                     default=NoticeState.ISSUED, protected=True, db_index=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("当前办理人"))
    issuer = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="issued_notices", verbose_name=_("下发人"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("下发登记人"))
    created_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SupervisionNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办件")
        verbose_name_plural = _("督办件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "kind", "year", "serial"],
                                    name="supervision_number_unique_per_town_year"),
        ]
        indexes = [
            models.Index(fields=["town", "state", "deadline"]),
            # The ledger's orders (column, id), either direction
            # (supervision.exports.LEDGER_SORTS); the first also serves the deadline sweep.
            models.Index(fields=["deadline", "id"], name="supervision_deadline_id"),
            models.Index(fields=["created_at", "id"], name="supervision_created_at_id"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:notice_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        """Computed, never typed: past the deadline without a verified result."""
        return self.state != NoticeState.VERIFIED and self.deadline < timezone.now()

    @transition(field=state, source=NoticeState.ISSUED, target=NoticeState.ACKNOWLEDGED,
                permission=permissions.can_handle)
    def acknowledge(self):
        """签收."""
        self.acknowledged_at = timezone.now()

    @transition(field=state, source=[NoticeState.ACKNOWLEDGED, NoticeState.RETURNED],
                target=NoticeState.REPORTED, permission=permissions.can_handle)
    def report(self):
        """The responsible person reports the result back."""

    @transition(field=state, source=NoticeState.REPORTED, target=NoticeState.VERIFIED,
                permission=permissions.can_verify)
    def verify(self):
        self.verified_at = timezone.now()

    @transition(field=state, source=NoticeState.REPORTED, target=NoticeState.RETURNED,
                permission=permissions.can_verify)
    def return_for_work(self):
        """Back for more work, with a new deadline."""


class NoticeReport(models.Model):
    """One report on a notice (one matter per report), and the issuer's check of it."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT,
                               related_name="reports", verbose_name=_("督办件"))
    result = models.TextField(_("办理结果"))
    completed = models.BooleanField(_("已办结"), default=True)
    shortfall = models.TextField(_("未按期办结的进展和原因"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告人"))
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    facts_checked = models.BooleanField(_("核实事实"), null=True, blank=True)
    problem_solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    measures_lawful = models.BooleanField(_("措施合法"), null=True, blank=True)
    check_opinion = models.TextField(_("核验意见"), blank=True)
    checked_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    accepted = models.BooleanField(_("核验通过"), null=True, blank=True)
    new_deadline = models.DateTimeField(_("退回后的新时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办结果报告")
        verbose_name_plural = _("督办结果报告")
        ordering = ["notice_id", "reported_at", "id"]

    def __str__(self):
        return f"{self.notice_id} {self.reported_at:%Y-%m-%d}"


class NoticeEvent(CaseEvent):
    """One row of a notice's history, progress notes included."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("下发")
        ACKNOWLEDGE = "acknowledge", _("签收")
        PROGRESS = "progress", _("进展")
        REPORT = "report", _("报告结果")
        VERIFY = "verify", _("核验通过")
        RETURN_FOR_WORK = "return_for_work", _("退回")

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT,
                               related_name="events", verbose_name=_("督办件"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True,
                                  choices=NoticeState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, blank=True,
                                choices=NoticeState.choices)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.notice_id} {self.action}"


class ResponsibilityTrace(models.Model):
    """Responsibility tracing (责任倒查): opened by itself when a matter slipped; leadership
    records the finding and the action taken. Visible to town leadership only."""

    class Trigger(models.TextChoices):
        NOTICE_OVERDUE = "notice_overdue", _("督办件逾期未核验办结")
        CIVIL_TO_CRIMINAL = "civil_to_criminal", _("超期纠纷移交派出所（民转刑风险）")
        SKIP_LEVEL_PETITION = "skip_level_petition", _("本镇已掌握事项发生越级访")
        GROUP_PETITION = "group_petition", _("本镇已掌握事项发生集体访")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="traces",
                             verbose_name=_("镇"))
    trigger = models.CharField(_("触发原因"), max_length=24, choices=Trigger.choices)
    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="traces", verbose_name=_("督办件"))
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="traces", verbose_name=_("纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="traces", verbose_name=_("信访事项"))
    timeline = models.JSONField(_("各环节经手人及时长"), default=list)
    responsible = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("责任人"))
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("包抓领导"))
    opened_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    finding = models.TextField(_("倒查结论"), blank=True)
    action_taken = models.TextField(_("处理措施"), blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("结论登记人"))
    concluded_at = models.DateTimeField(_("结论时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("责任倒查")
        verbose_name_plural = _("责任倒查")
        ordering = ["-opened_at"]
        constraints = [
            # A matter is traced once per trigger, however often the checks run.
            models.UniqueConstraint(fields=["trigger", "notice"], condition=Q(notice__isnull=False),
                                    name="supervision_trace_once_per_notice"),
            models.UniqueConstraint(fields=["trigger", "dispute"],
                                    condition=Q(dispute__isnull=False),
                                    name="supervision_trace_once_per_dispute"),
            models.UniqueConstraint(fields=["trigger", "petition"],
                                    condition=Q(petition__isnull=False),
                                    name="supervision_trace_once_per_petition"),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} {self.opened_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("supervision:trace_detail", args=[self.pk])

    @property
    def subject_label(self) -> str:
        subject = self.notice or self.dispute or self.petition
        return subject.number if subject else ""


class DeadlineAlert(models.Model):
    """An alert sent for an item near or past its deadline: at most one per item, deadline
    and threshold, enforced by the database (not by hoping the task runs once)."""

    class Threshold(models.TextChoices):
        T_MINUS_3 = "t-3", _("距期限3天")
        T_MINUS_1 = "t-1", _("距期限1天")
        OVERDUE = "overdue", _("已超期")

    class ItemKind(models.TextChoices):
        DISPUTE_TIER = "dispute_tier", _("纠纷本级期限")
        PETITION_ACCEPT = "petition_accept", _("信访受理告知期限")
        PETITION_REPLY = "petition_reply", _("信访办理期限")
        PETITION_REVIEW = "petition_review", _("复查复核答复期限")
        NOTICE = "notice", _("督办时限")
        DISPUTE_MEDIATION = "dispute_mediation", _("纠纷调解期限")
        DISPUTE_CONFIRMATION = "dispute_confirmation", _("司法确认申请期限")
        DISPUTE_FOLLOWUP = "dispute_followup", _("协议履行回访")
        REFERRAL_RECEIPT = "referral_receipt", _("移交签收期限")
        REFERRAL_RESULT = "referral_result", _("移交办理结果期限")
        LEGAL_AID_DECISION = "legal_aid_decision", _("法律援助审查决定期限")
        LEGAL_AID_ASSIGN = "legal_aid_assign", _("法律援助指派期限")

    item_kind = models.CharField(_("事项类型"), max_length=20, choices=ItemKind.choices)
    item_id = models.PositiveBigIntegerField(_("事项"))
    due_at = models.DateTimeField(_("期限"))
    threshold = models.CharField(_("提醒节点"), max_length=8, choices=Threshold.choices)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["item_kind", "item_id", "due_at", "threshold"],
                                    name="supervision_alert_once"),
        ]

    def __str__(self):
        return f"{self.item_kind}:{self.item_id} {self.threshold}"
