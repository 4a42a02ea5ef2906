"""Dispute cases (矛盾纠纷) and the four-tier ladder (docs/domain.md, "三调联动": 梯次调解).

A case climbs grid member → mediator → grid leader → town committee chair (四道防线) until it
is resolved or referred. Transitions only move this row's state and stamps; the services in
``disputes.services`` lock the row, check permission, write the ``DisputeEvent`` and notify.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from casework.states import Evaluation
from core.models import Gender, PersonDetails
from core.priority import PriorityGroup
from grid.models import MediationCommittee, Room, SmallGrid, Staff, Town

from . import permissions
from .states import (  # noqa: F401  (re-exported: the enums' old home)
    DEFAULT_TIER_DAYS,
    OPEN_STATES,
    TIERS,
    AvertedRisk,
    ConfirmationResult,
    DisputeCategory,
    DisputeSource,
    DisputeState,
    ReferralTarget,
    RespondentConsent,
    RightsNoticeMethod,
    RiskLevel,
    TerminationReason,
    next_tier,
)


class TownDisputeSettings(models.Model):
    """Per-town days allowed at each tier; defaults 3 / 7 / 7 / 13 (30 days in all)."""

    town = models.OneToOneField(Town, on_delete=models.PROTECT, related_name="dispute_settings",
                                verbose_name=_("镇"))
    grid_member_days = models.PositiveSmallIntegerField(
        _("网格员调解期限（天）"), default=DEFAULT_TIER_DAYS[DisputeState.GRID_MEMBER],
        validators=[MinValueValidator(1)])
    mediator_days = models.PositiveSmallIntegerField(
        _("调解员调解期限（天）"), default=DEFAULT_TIER_DAYS[DisputeState.MEDIATOR],
        validators=[MinValueValidator(1)])
    grid_leader_days = models.PositiveSmallIntegerField(
        _("网格长调解期限（天）"), default=DEFAULT_TIER_DAYS[DisputeState.GRID_LEADER],
        validators=[MinValueValidator(1)])
    chair_days = models.PositiveSmallIntegerField(
        _("镇调委会主任调解期限（天）"), default=DEFAULT_TIER_DAYS[DisputeState.CHAIR],
        validators=[MinValueValidator(1)])
    # 《人民调解工作若干规定》第三十三条: mediation normally concludes within one month.
    mediation_months = models.PositiveSmallIntegerField(
        _("调解总期限（月）"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("纠纷调解期限设置")
        verbose_name_plural = _("纠纷调解期限设置")

    def __str__(self):
        return str(self.town)


class DisputeQuerySet(models.QuerySet):
    """The predicates on cases, each stated once: the ledger, the queues, the deadline alerts,
    the three sweeps and the dashboard all call these, so that they cannot disagree.

    The ``*_q`` builders return the same rule as a ``Q`` for aggregates
    (``Count("id", filter=...)``); ``prefix`` is the path to the dispute, e.g. ``"disputes__"``
    from a town.
    """

    @staticmethod
    def open_q(prefix: str = "") -> Q:
        """Still on the ladder: at one of the four tiers."""
        return Q(**{f"{prefix}state__in": OPEN_STATES})

    @staticmethod
    def overdue_q(at, prefix: str = "") -> Q:
        """Open and past the current tier's deadline at ``at`` (computed, never typed)."""
        return Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}tier_due_at__lt": at})

    @staticmethod
    def resolved_q(prefix: str = "") -> Q:
        """Resolved by mediation, whether or not closed since."""
        return Q(**{f"{prefix}state__in": [DisputeState.RESOLVED, DisputeState.CLOSED]})

    @staticmethod
    def referred_q(prefix: str = "") -> Q:
        """Referred to another unit (移交)."""
        return Q(**{f"{prefix}state": DisputeState.REFERRED})

    @staticmethod
    def terminated_q(prefix: str = "") -> Q:
        """Mediation ended without agreement (终止调解, 人民调解法 第二十六条): counted apart
        from referrals."""
        return Q(**{f"{prefix}state": DisputeState.TERMINATED})

    @staticmethod
    def mediation_overdue_q(on, prefix: str = "") -> Q:
        """Open and past the whole case's ``mediation_due`` on the date ``on`` (若干规定
        第三十三条)."""
        return Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}mediation_due__lt": on})

    @staticmethod
    def counted_q(prefix: str = "") -> Q:
        """Counts in figures: every case but those voided (entered in error)."""
        return ~Q(**{f"{prefix}state": DisputeState.VOIDED})

    def open(self):
        return self.filter(self.open_q())

    def referred(self):
        return self.filter(self.referred_q())

    def terminated(self):
        return self.filter(self.terminated_q())

    def mediation_overdue(self, *, on=None):
        """Open cases past their whole-case due date on ``on`` (today by default)."""
        return self.filter(self.mediation_overdue_q(on or timezone.localdate()))

    def overdue(self, *, at=None):
        """Open cases past their tier's deadline at ``at`` (now by default)."""
        return self.filter(self.overdue_q(at or timezone.now()))

    def counted(self):
        """Cases that count in figures: every one but those voided (entered in error)."""
        return self.filter(self.counted_q())


class Dispute(ConcurrentTransitionMixin, models.Model):
    """Dispute case (矛盾纠纷). Never deleted: voided with a reason instead."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="disputes",
                             verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, related_name="disputes",
                                   verbose_name=_("小网格"))
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("案号"), max_length=40, unique=True)

    title = models.CharField(_("纠纷名称"), max_length=120)
    description = models.TextField(_("纠纷简要情况"))
    category = models.CharField(_("纠纷类型"), max_length=24, choices=DisputeCategory.choices,
                                db_index=True)
    source = models.CharField(_("来源"), max_length=24, choices=DisputeSource.choices,
                              default=DisputeSource.SCREENING)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now, db_index=True)
    occurred_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    reporter = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reported_disputes", verbose_name=_("报告人"))
    people_involved = models.PositiveIntegerField(_("涉及人数"), default=2,
                                                  validators=[MinValueValidator(1),
                                                              MaxValueValidator(100000)])
    amount_at_stake = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2,
                                          null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.BLUE, db_index=True)
    risk_civil_to_criminal = models.BooleanField(_("民转刑风险"), default=False)
    risk_group_incident = models.BooleanField(_("群体性事件风险"), default=False)
    risk_skip_level_petition = models.BooleanField(_("越级上访风险"), default=False)
    risk_extreme_behaviour = models.BooleanField(_("个人极端行为风险"), default=False)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    respondent_consent = models.CharField(
        _("对方当事人是否同意调解"), max_length=12, choices=RespondentConsent.choices,
        default=RespondentConsent.NOT_ASKED,
        help_text=_("调解须双方自愿；一方明确拒绝的，不得调解（人民调解法第十七条）。"))

    state = FSMField(_("状态"), max_length=16, choices=DisputeState.choices,
                     default=DisputeState.GRID_MEMBER, protected=True, db_index=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="handled_disputes", verbose_name=_("当前承办人"))
    tier_started_at = models.DateTimeField(_("本级起始时间"), null=True, blank=True)
    tier_due_at = models.DateTimeField(_("本级办理期限"), null=True, blank=True, db_index=True)
    urgent = models.BooleanField(_("紧急上报"), default=False)
    mediation_due = models.DateField(_("调解期限"), null=True, blank=True, db_index=True,
                                     help_text=_("受理之日起一个月内调结（若干规定第三十三条）。"))
    rights_notified_on = models.DateField(_("权利义务告知日期"), null=True, blank=True)
    rights_notice_method = models.CharField(
        _("告知方式"), max_length=8, blank=True,
        choices=RightsNoticeMethod.choices)
    last_followup_kept = models.BooleanField(_("最近回访协议是否履行"), null=True, blank=True)

    outcome = models.TextField(_("调解结果"), blank=True)
    resolved_tier = models.CharField(_("化解层级"), max_length=16, blank=True,
                                     choices=[(t.value, t.label) for t in TIERS])
    resolved_at = models.DateTimeField(_("化解时间"), null=True, blank=True)
    referred_to = models.CharField(_("移交单位"), max_length=24, blank=True,
                                   choices=ReferralTarget.choices)
    referred_at = models.DateTimeField(_("移交时间"), null=True, blank=True)
    referred_from_tier = models.CharField(_("移交层级"), max_length=16, blank=True,
                                          choices=[(t.value, t.label) for t in TIERS])
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    termination_reason = models.CharField(_("终止调解原因"), max_length=24, blank=True,
                                          choices=TerminationReason.choices)
    terminated_at = models.DateTimeField(_("终止调解时间"), null=True, blank=True)
    terminated_from_tier = models.CharField(_("终止层级"), max_length=16, blank=True,
                                            choices=[(t.value, t.label) for t in TIERS])
    ended_reason = models.TextField(_("终止、撤回或作废说明"), blank=True)
    query_code = models.CharField(
        _("查询码"), max_length=12, unique=True, null=True, blank=True,
        help_text=_("登记时生成，印在告知书上，供当事人查询进展、评价调解结果。"))
    evaluation = models.CharField(_("当事人评价"), max_length=20, blank=True,
                                  choices=Evaluation.choices)
    evaluation_comment = models.TextField(_("评价意见"), blank=True)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True)
    # Work of the town's service units and priority service (README, "Legal aid, units and
    # priority service"); the database defaults keep set-based loads (ops) writing cases.
    unit = models.ForeignKey("grid.ServiceUnit", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="disputes", verbose_name=_("承办单位"),
                             help_text=_("在法律服务所或“五老”调解工作室办理的纠纷。"))
    priority = models.BooleanField(_("有优先服务对象"), default=False, db_default=False)
    sender_case_number = models.CharField(
        _("来文案号"), max_length=60, blank=True, default="", db_default="",
        help_text=_("法院委托调解或公安移交案件的原案号。"))
    reported_back_at = models.DateTimeField(_("结果反馈时间"), null=True, blank=True)
    report_back_note = models.TextField(_("反馈内容"), blank=True, default="", db_default="")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "serial"],
                                    name="disputes_number_unique_per_town_year"),
            models.CheckConstraint(
                condition=~Q(state=DisputeState.RESOLVED) | ~Q(resolved_tier=""),
                name="disputes_resolved_has_tier"),
            models.CheckConstraint(
                condition=~Q(state=DisputeState.TERMINATED) | ~Q(termination_reason=""),
                name="disputes_terminated_has_reason"),
        ]
        indexes = [
            # The deadlines of open cases per town (the sweeps, the dashboard's overdue
            # counts); the small grid is carried in the index so that the dashboard counts
            # overdue cases per grid from the index alone (PostgreSQL's INCLUDE).
            models.Index(fields=["town", "state", "tier_due_at"], include=["small_grid"],
                         name="disputes_town_state_due"),
            models.Index(fields=["town", "state", "mediation_due"], include=["small_grid"],
                         name="disputes_town_state_med_due"),
            models.Index(fields=["small_grid", "state"]),
            # A grid's cases by date: a grid member's ledger in its default order, and the
            # case page's probable duplicates (same small grid, found within a month).
            models.Index(fields=["small_grid", "found_at"], name="disputes_grid_found_at"),
            models.Index(fields=["handler", "state"]),
            # The dashboard's cases found today, and the monthly figures' months, per town;
            # the small grid and state carried so that today's are counted per grid from the
            # index alone.
            models.Index(fields=["town", "found_at"], include=["small_grid", "state"],
                         name="disputes_town_found_at"),
            # The dashboard's open priority cases: a few rows among a town's many.
            models.Index(fields=["town", "state"], condition=models.Q(priority=True),
                         name="disputes_priority_town_state"),
        ]
        permissions = [("void_dispute", _("可作废纠纷案件"))]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("disputes:detail", args=[self.pk])

    # --- Small properties that touch no relations -----------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.tier_due_at and self.tier_due_at < timezone.now())

    @property
    def tier_index(self) -> int | None:
        return OPEN_STATES.index(self.state) if self.state in OPEN_STATES else None

    @property
    def is_mediation_overdue(self) -> bool:
        return bool(self.is_open and self.mediation_due
                    and self.mediation_due < timezone.localdate())

    @property
    def respondent_refused(self) -> bool:
        return self.respondent_consent == RespondentConsent.REFUSED

    @property
    def has_risk_flag(self) -> bool:
        return any([self.risk_civil_to_criminal, self.risk_group_incident,
                    self.risk_skip_level_petition, self.risk_extreme_behaviour])

    # --- Transitions: they move this row's state and stamps only -------------------------
    # Who may: ``permissions``; what else happens (lock, history, notify): ``services``.

    @transition(field=state, source=DisputeState.GRID_MEMBER, target=DisputeState.MEDIATOR,
                conditions=[permissions.consent_not_refused],
                permission=permissions.can_escalate)
    @transition(field=state, source=DisputeState.MEDIATOR, target=DisputeState.GRID_LEADER,
                conditions=[permissions.consent_not_refused],
                permission=permissions.can_escalate)
    @transition(field=state, source=DisputeState.GRID_LEADER, target=DisputeState.CHAIR,
                conditions=[permissions.consent_not_refused],
                permission=permissions.can_escalate)
    def escalate(self):
        """Tier k → k+1 only (四道防线, bottom-up); never for a case whose respondent refused
        mediation (人民调解法 第十七条)."""
        self.tier_started_at = timezone.now()

    @transition(field=state,
                source=[DisputeState.GRID_MEMBER, DisputeState.MEDIATOR, DisputeState.GRID_LEADER],
                target=DisputeState.CHAIR,
                conditions=[permissions.is_urgent_case, permissions.consent_not_refused],
                permission=permissions.can_escalate_urgent)
    def escalate_urgent(self):
        """Straight to the town committee chair: red risk or a risk flag only."""
        self.tier_started_at = timezone.now()
        self.urgent = True

    @transition(field=state, source=OPEN_STATES, target=DisputeState.RESOLVED,
                permission=permissions.can_resolve)
    def resolve(self):
        self.resolved_tier = self.state
        self.resolved_at = timezone.now()
        self.tier_due_at = None

    @transition(field=state, source=OPEN_STATES, target=DisputeState.REFERRED,
                conditions=[permissions.referral_allowed_from_state],
                permission=permissions.can_refer)
    def refer(self):
        """From the chair to any unit; from any tier to the police on civil-to-criminal risk.
        The caller sets ``referred_to`` first."""
        self.referred_from_tier = self.state
        self.referred_at = timezone.now()
        self.tier_due_at = None

    @transition(field=state, source=OPEN_STATES, target=DisputeState.TERMINATED,
                permission=permissions.can_terminate)
    def terminate(self):
        """Mediation ends without agreement (人民调解法 第二十六条): a party refused it, asked
        to end it, or it failed. The caller sets ``termination_reason`` first."""
        self.terminated_from_tier = self.state
        self.terminated_at = timezone.now()
        self.tier_due_at = None

    @transition(field=state, source=DisputeState.RESOLVED, target=DisputeState.CLOSED,
                conditions=[permissions.followup_found_kept], permission=permissions.can_follow_up)
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=DisputeState.RESOLVED, target=DisputeState.MEDIATOR,
                conditions=[permissions.followup_found_broken],
                permission=permissions.can_follow_up)
    def reopen(self):
        """A follow-up found the agreement broken: back to a mediator."""
        self.tier_started_at = timezone.now()
        self.resolved_at = None
        self.resolved_tier = ""
        self.last_followup_kept = None

    @transition(field=state, source=OPEN_STATES, target=DisputeState.WITHDRAWN,
                permission=permissions.can_withdraw)
    def withdraw(self):
        self.tier_due_at = None

    @transition(field=state, source=[s for s in DisputeState if s != DisputeState.VOIDED],
                target=DisputeState.VOIDED, permission=permissions.can_void)
    def void(self):
        self.tier_due_at = None


def _attachment_path(instance, filename):
    stem, ext = os.path.splitext(filename)
    return f"disputes/{instance.dispute_id}/{timezone.now():%Y%m%d%H%M%S}{ext.lower()}"


class Party(PersonDetails):
    """A party to a dispute (当事人)."""

    class PartyRole(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        RESPONDENT = "respondent", _("被申请人")
        OTHER = "other", _("其他当事人")

    Gender = Gender

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="parties",
                                verbose_name=_("纠纷"))
    role = models.CharField(_("身份"), max_length=16, choices=PartyRole.choices,
                            default=PartyRole.APPLICANT)
    # Priority service (docs/domain.md, "Five-elders mediation"); the reason is shown only to
    # those who may see the party's personal data.
    priority_group = models.CharField(_("优先服务类别"), max_length=24, blank=True, default="",
                                      db_default="", choices=PriorityGroup.choices)
    priority_reason = models.CharField(_("优先服务原因"), max_length=200, blank=True,
                                       default="", db_default="")

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute_id", "id"]
        # The ID number is encrypted: its search hash carries the index (core.models).
        indexes = [models.Index(fields=["name"])]


class DisputeEvent(CaseEvent):
    """One row of a case's history: who did what, when, from which state to which, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        ESCALATE = "escalate", _("上交上一级")
        ESCALATE_URGENT = "escalate_urgent", _("紧急上报")
        RESOLVE = "resolve", _("调解成功")
        REFER = "refer", _("移交")
        FOLLOWUP = "followup", _("回访")
        CLOSE = "close", _("结案")
        REOPEN = "reopen", _("重新调解")
        WITHDRAW = "withdraw", _("撤回")
        VOID = "void", _("作废")
        SESSION = "session", _("调解记录")
        ATTACHMENT = "attachment", _("上传附件")
        IMPORTED = "imported", _("从台账导入")
        TERMINATE = "terminate", _("终止调解")
        REPORT_POLICE = "report_police", _("报告派出所")
        ACKNOWLEDGE_POLICE = "acknowledge_police", _("派出所签收")
        EXTEND_MEDIATION = "extend_mediation", _("延长调解期限")
        NOTIFY_RIGHTS = "notify_rights", _("告知权利义务")
        REASSIGN = "reassign", _("更换调解员")
        RECORD_CONSENT = "record_consent", _("登记对方当事人意愿")
        JUDICIAL_CONFIRMATION = "judicial_confirmation", _("司法确认")
        ASSIGN_UNIT = "assign_unit", _("交服务单位办理")
        MARK_PRIORITY = "mark_priority", _("标记优先服务对象")
        ACKNOWLEDGE_REFERRAL = "acknowledge_referral", _("接收单位签收")
        REFERRAL_RESULT = "referral_result", _("登记移交办理结果")
        REPORT_BACK = "report_back", _("向来文单位反馈结果")

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("纠纷"))
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True,
                                  choices=DisputeState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, blank=True,
                                choices=DisputeState.choices)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class MediationSession(models.Model):
    """A mediation session (调解记录): when, where, who mediated, what was said and agreed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="sessions",
                                verbose_name=_("纠纷"))
    held_at = models.DateTimeField(_("调解时间"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("调解场所（功能室）"))
    place = models.CharField(_("调解地点"), max_length=120, blank=True)
    mediators = models.ManyToManyField(Staff, related_name="mediation_sessions",
                                       verbose_name=_("调解人员"))
    invited = models.TextField(
        _("邀请参与人员"), blank=True,
        help_text=_("当事人亲属、邻里、有关专业人员等，每行一人（人民调解法第二十条）。"))
    record = models.TextField(_("调解情况记录"))
    agreed = models.TextField(_("达成的意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class MediationAgreement(models.Model):
    """The agreement reached (调解协议): written (人民调解协议书) or oral (口头协议)."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("书面协议")
        ORAL = "oral", _("口头协议")

    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="agreement",
                                   verbose_name=_("纠纷"))
    kind = models.CharField(_("协议形式"), max_length=8, choices=Kind.choices)
    facts = models.TextField(_("纠纷主要事实"), blank=True)
    points_in_dispute = models.TextField(_("争议事项"), blank=True)
    terms = models.TextField(_("协议内容"))
    performance_method = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_place = models.CharField(_("履行地点"), max_length=120, blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    responsibilities = models.TextField(
        _("各方当事人的责任"), blank=True,
        help_text=_("书面协议必填（人民调解法第二十九条、若干规定第三十五条）。"))
    signed_on = models.DateField(_("签订日期"))
    mediator = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("调解员"))
    # The committee that mediated and seals the agreement (人民调解法 第二十九条).
    committee = models.ForeignKey(MediationCommittee, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("人民调解委员会"))
    concerns_personal_status = models.BooleanField(
        _("涉及婚姻、收养或身份关系"), default=False,
        help_text=_("此类协议人民法院不予司法确认（法释〔2011〕5号第四条）。"))
    confirmation_requested = models.BooleanField(_("当事人拟申请司法确认"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self):
        return f"{self.dispute_id} {self.get_kind_display()}"

    @property
    def copies(self) -> int:
        """本协议一式 N 份: one for each party and one for the committee (人民调解法 第二十九条).
        Reads the parties; the print view passes its own count."""
        return self.dispute.parties.count() + 1

    @property
    def confirmable(self) -> bool:
        """Judicial confirmation is for written agreements not about marriage, adoption or
        personal status (法释〔2011〕5号 第四条)."""
        return self.kind == self.Kind.WRITTEN and not self.concerns_personal_status


class DisputeAvertedRisk(models.Model):
    """A risk the mediation averted (防止民转刑、群体性上访、群体性械斗、自杀) and how many people
    it involved, recorded when the case is resolved: the statistics report counts these, it
    never has them typed in."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="averted_risks",
                                verbose_name=_("纠纷"))
    kind = models.CharField(_("防止的风险"), max_length=24, choices=AvertedRisk.choices)
    people = models.PositiveIntegerField(_("涉及人数"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("防止的风险")
        verbose_name_plural = _("防止的风险")
        constraints = [models.UniqueConstraint(fields=["dispute", "kind"],
                                               name="disputes_averted_risk_once")]

    def __str__(self):
        return f"{self.dispute_id} {self.get_kind_display()} {self.people}"


class JudicialConfirmation(models.Model):
    """An application for judicial confirmation (司法确认) of an agreement and the court's
    ruling (人民调解法 第三十三条; 民事诉讼法 第二百零五条、第二百零六条)."""

    agreement = models.OneToOneField(MediationAgreement, on_delete=models.PROTECT,
                                     related_name="confirmation", verbose_name=_("调解协议"))
    applied_on = models.DateField(_("申请日期"))
    court = models.CharField(_("受理法院"), max_length=80)
    case_number = models.CharField(_("法院案号（调确字）"), max_length=60, blank=True)
    result = models.CharField(_("结果"), max_length=12, choices=ConfirmationResult.choices,
                              default=ConfirmationResult.PENDING)
    decided_on = models.DateField(_("裁定日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")

    def __str__(self):
        return f"{self.agreement_id} {self.get_result_display()}"


class PoliceReport(models.Model):
    """A report of civil-to-criminal risk to the police station (人民调解法 第二十五条): the
    mediator reports and takes steps to prevent it; mediation goes on at its tier. The town's
    police liaison acknowledges it on the case."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="police_reports",
                                verbose_name=_("纠纷"))
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告人"))
    note = models.TextField(_("报告内容及预防措施"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("签收人"))
    acknowledgement = models.TextField(_("签收意见"), blank=True)

    class Meta:
        verbose_name = _("民转刑风险报告")
        verbose_name_plural = _("民转刑风险报告")
        ordering = ["reported_at", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.reported_at:%Y-%m-%d}"


class FollowUpVisit(models.Model):
    """A follow-up visit (回访): is the agreement being kept?"""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="followups",
                                verbose_name=_("纠纷"))
    visited_on = models.DateField(_("回访日期"))
    visitor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("回访人"))
    agreement_kept = models.BooleanField(_("协议是否履行"))
    note = models.TextField(_("回访情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["visited_on", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.visited_on}"


class Attachment(models.Model):
    """A photo or document attached to a case; type and size are checked on upload."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("文档")

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="attachments",
                                verbose_name=_("纠纷"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class DisputeTally(models.Model):
    """How many cases stand in each (town, small grid, state, tier resolved at): the figures'
    summary rows (the Fengqiao headline, the dashboard's funnel and grid table), so that no
    page counts the whole scope.

    Kept by database triggers on ``disputes_dispute`` (migration ``0003``) in the transaction
    that writes the case, whichever path writes it (a service, the admin, a bulk load). The
    state is part of the key, so a new state is counted without any change here; which states
    are open, resolved or referred is decided where the figures read these rows
    (``disputes.tallies``). ``manage.py recount_figures`` rebuilds them from the cases.
    """

    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="+", db_index=False)
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.CASCADE, related_name="+",
                                   db_index=False)
    state = models.CharField(max_length=16)
    resolved_tier = models.CharField(max_length=16, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("纠纷统计（按状态）")
        verbose_name_plural = _("纠纷统计（按状态）")
        constraints = [models.UniqueConstraint(
            fields=["town", "small_grid", "state", "resolved_tier"],
            name="disputes_tally_unique_key")]

    def __str__(self):
        return f"{self.small_grid_id} {self.state} {self.resolved_tier}: {self.n}"


class DisputeDueTally(models.Model):
    """Open cases per town, small grid and the month (Asia/Shanghai) a deadline falls in:
    ``tier`` for the current tier's deadline (``tier_due_at``), ``mediation`` for the whole
    case's time limit (``mediation_due``). The dashboard counts the cases overdue now as the
    months before this one, read here, plus this month's cases already past their deadline,
    read from the cases: so the count reads a few rows a grid, not every overdue case.
    Kept like ``DisputeTally``."""

    class Measure(models.TextChoices):
        TIER = "tier", _("当前层级期限")
        MEDIATION = "mediation", _("调解期限")

    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="+", db_index=False)
    measure = models.CharField(max_length=16, choices=Measure.choices)
    month = models.DateField()
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.CASCADE, related_name="+",
                                   db_index=False)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("纠纷统计（按期限月份）")
        verbose_name_plural = _("纠纷统计（按期限月份）")
        constraints = [models.UniqueConstraint(
            fields=["town", "measure", "month", "small_grid"],
            name="disputes_due_tally_unique_key")]

    def __str__(self):
        return f"{self.small_grid_id} {self.measure} {self.month:%Y-%m}: {self.n}"


class DisputeMonthTally(models.Model):
    """Cases found and cases resolved per town, month (Asia/Shanghai) and type, voided cases
    left out: the dashboard's trend and type charts and the monthly figures. Kept like
    ``DisputeTally``."""

    class Measure(models.TextChoices):
        FOUND = "found", _("新增")
        RESOLVED = "resolved", _("化解")

    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="+", db_index=False)
    measure = models.CharField(max_length=8, choices=Measure.choices)
    month = models.DateField()
    category = models.CharField(max_length=24)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("纠纷统计（按月）")
        verbose_name_plural = _("纠纷统计（按月）")
        constraints = [models.UniqueConstraint(
            fields=["town", "measure", "month", "category"],
            name="disputes_month_tally_unique_key")]

    def __str__(self):
        return f"{self.town_id} {self.measure} {self.month:%Y-%m} {self.category}: {self.n}"


class DisputeReferralQuerySet(models.QuerySet):
    """Referrals waiting on the receiving unit; the alerts, the case page and the figures
    read these."""

    @staticmethod
    def awaiting_receipt_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}acknowledged_at__isnull": True, f"{prefix}result_at__isnull": True})

    @staticmethod
    def awaiting_result_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}result_at__isnull": True})

    def awaiting_receipt(self):
        return self.filter(self.awaiting_receipt_q())

    def awaiting_result(self):
        return self.filter(self.awaiting_result_q())


class DisputeReferral(models.Model):
    """A referral (移交) to another unit of the docking model, with what comes back: the
    receiving unit's receipt (签收) and its result, each due by the target's deadline
    (``disputes.deadlines.referral_receipt_due`` / ``referral_result_due``)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("纠纷"))
    target = models.CharField(_("移交单位"), max_length=24, choices=ReferralTarget.choices)
    receiving_unit = models.CharField(_("接收单位名称"), max_length=100, blank=True)
    liaison = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("接收单位联络人"))
    referred_at = models.DateTimeField(_("移交时间"), default=timezone.now)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("移交人"))
    receipt_due = models.DateTimeField(_("签收期限"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("签收登记人"))
    receipt_note = models.CharField(_("签收说明"), max_length=300, blank=True)
    result_due = models.DateTimeField(_("办理结果期限"))
    result = models.TextField(_("办理结果"), blank=True)
    result_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    result_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("结果登记人"))

    objects = DisputeReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("移交记录")
        verbose_name_plural = _("移交记录")
        ordering = ["referred_at", "id"]
        indexes = [models.Index(fields=["result_at", "result_due"])]

    def __str__(self):
        return f"{self.dispute_id} → {self.get_target_display()}"

    def get_absolute_url(self):
        return reverse("disputes:detail", args=[self.dispute_id])
