"""Petitions (信访) handled by proxy and docked to mediation (docs/domain.md, "信访事项代办").

A first petition is handled by the small grid's grid member as proxy (代办); what cannot be
solved at once goes to the grid leader, who coordinates at town level; a matter involving a
county department gets a named town coordinator. Time limits are those of the 2022 信访工作条例
and are computed in ``petitions.deadlines`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from core.models import PersonDetails
from disputes.models import Dispute
from grid.models import County, SmallGrid, Staff, Town

from . import permissions
from .states import (  # noqa: F401  (re-exported: the enums' old home)
    DEFAULT_SKIP_LEVELS,
    GROUP_SIZE,
    HANDLING_STATES,
    OPEN_STATES,
    CloseReason,
    DeliveryMethod,
    Evaluation,
    ExtensionStatus,
    PetitionForm,
    PetitionKind,
    PetitionState,
    ReplyResult,
    ThreeInPlaceCategory,
    VisitLevel,
)


class PetitionQuerySet(models.QuerySet):
    """The predicates on petitions, each stated once: the ledger's flags, the queue, the
    deadline alerts, the three sweeps and the dashboard all call these.

    A petition runs against three deadlines (信访工作条例 第二十三、三十四、三十五、三十六条; the dates
    come from ``petitions.deadlines``): the acceptance notice while registered, the reply while
    being handled, and the answer to a pending review or re-review. The ``*_q`` builders return
    the rules as ``Q`` objects for aggregates (``Count("id", filter=...)``) and annotations; a
    date deadline is kept on its day, so "due before ``day``" is late on ``day``.
    """

    @staticmethod
    def accept_due_before_q(day) -> Q:
        """Registered, with the acceptance notice due before ``day``."""
        return Q(state=PetitionState.REGISTERED, accept_due__lt=day)

    @staticmethod
    def reply_due_before_q(day) -> Q:
        """Being handled, with the (extended) reply due before ``day``."""
        return Q(state__in=HANDLING_STATES, reply_due__lt=day)

    @staticmethod
    def review_due_before_q(day) -> Q:
        """A review or re-review request not yet answered, its answer due before ``day``."""
        return Q(Exists(PetitionReview.objects.pending().filter(
            petition=OuterRef("pk"), due_on__lt=day)))

    @classmethod
    def due_before_q(cls, day) -> Q:
        """The petition's own deadline (acceptance or reply) falls before ``day``, overdue ones
        included; a review answer is the reviewing body's and is not counted here."""
        return cls.accept_due_before_q(day) | cls.reply_due_before_q(day)

    @classmethod
    def overdue_q(cls, on) -> Q:
        """Overdue on ``on``: the acceptance notice, the reply or a review answer is late."""
        return cls.due_before_q(on) | cls.review_due_before_q(on)

    @staticmethod
    def group_q() -> Q:
        """A group petition (集体访): ``GROUP_SIZE`` people or more, whatever the form (a
        letter signed by six is one too)."""
        return Q(people_count__gte=GROUP_SIZE)

    @staticmethod
    def _visits_while_open(*, skip_level: bool, start=None, end=None):
        visits = HigherLevelVisit.objects.filter(
            petition=OuterRef("pk"), skip_level=skip_level,
            visited_on__gte=OuterRef("received_on")).filter(
            Q(petition__closed_on__isnull=True) | Q(visited_on__lte=OuterRef("closed_on")))
        if start is not None:
            visits = visits.filter(visited_on__gte=start)
        if end is not None:
            visits = visits.filter(visited_on__lt=end)
        return visits

    @classmethod
    def skip_level_q(cls, *, start=None, end=None) -> Q:
        """Skip-level (越级访): the petitioner took the matter, while it was open here, to a
        level the county counts as skip-level (city, province, national by default: the
        county is the town's lawful next level, 信访工作条例 第二十条); with ``start`` /
        ``end``, a visit in that period."""
        return Q(Exists(cls._visits_while_open(skip_level=True, start=start, end=end)))

    @classmethod
    def repeat_to_higher_q(cls) -> Q:
        """A repeat to a higher level during handling (信访工作条例 第十九条): the petitioner
        also went to the lawful next level (the county) while the matter was open here."""
        return Q(Exists(cls._visits_while_open(skip_level=False)))

    @staticmethod
    def undelivered_q() -> Q:
        """Replied in writing, its delivery not recorded (答复未送达): the review window has
        not started (信访工作条例 第三十五条)."""
        return Q(replied_on__isnull=False, delivered_on__isnull=True)

    @staticmethod
    def evaluated_q(*, start=None, end=None, evaluation=None) -> Q:
        """Evaluated by the petitioner (信访工作条例 第二十一条), in ``[start, end)`` and of
        ``evaluation`` when given."""
        q = Q(evaluated_on__isnull=False)
        if start is not None:
            q &= Q(evaluated_on__gte=start)
        if end is not None:
            q &= Q(evaluated_on__lt=end)
        if evaluation is not None:
            q &= Q(evaluation=evaluation)
        return q

    @staticmethod
    def counted_q(prefix: str = "") -> Q:
        """Counts in figures and in the search for repeat petitions: every matter but those
        voided (entered in error)."""
        return ~Q(**{f"{prefix}state": PetitionState.VOIDED})

    def counted(self):
        return self.filter(self.counted_q())

    def open(self):
        """Registered and not yet ended (declined or closed)."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, *, on=None):
        """Petitions overdue on ``on`` (today in Asia/Shanghai by default)."""
        return self.filter(self.overdue_q(on or timezone.localdate()))

    def group(self):
        return self.filter(self.group_q())

    def skip_level(self):
        return self.filter(self.skip_level_q())


class Petition(ConcurrentTransitionMixin, models.Model):
    """A petition matter (信访事项). Never deleted."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="petitions",
                             verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, related_name="petitions",
                                   verbose_name=_("小网格"))
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("信访编号"), max_length=40, unique=True)
    national_number = models.CharField(
        _("国家信访信息系统编号"), max_length=40, blank=True, db_index=True,
        help_text=_("该事项录入国家信访信息系统后的编号（信访工作条例 第二十一条）。"))
    query_code = models.CharField(
        _("查询码"), max_length=12, unique=True, null=True, blank=True,
        help_text=_("受理时生成，印在告知书上，供信访人查询办理情况、评价（信访工作条例 第二十一条）。"))

    form = models.CharField(_("信访形式"), max_length=10, choices=PetitionForm.choices)
    kind = models.CharField(_("信访类别"), max_length=12, choices=PetitionKind.choices,
                            db_index=True)
    subject = models.CharField(_("信访事项"), max_length=120)
    content = models.TextField(_("主要诉求及事实"))
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)
    people_count = models.PositiveIntegerField(_("信访人数"), default=1)
    assigned_by_higher = models.BooleanField(
        _("上级交办"), default=False,
        help_text=_("上级机关交办的事项；认为不属本镇职责的，应在5个工作日内提出异议。"))
    objection_due = models.DateField(_("交办异议期限"), null=True, blank=True)
    in_litigation = models.BooleanField(_("已进入诉讼、仲裁程序"), default=False)
    administrative_matter = models.BooleanField(_("属行政争议"), default=False)
    repeat_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="repeats", verbose_name=_("重复信访所涉前次信访"))
    source_dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="petitions_from_referral",
                                       verbose_name=_("移交来源纠纷"))
    docked_dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="docked_petition",
                                          verbose_name=_("对接调解的纠纷"))

    state = FSMField(_("状态"), max_length=12, choices=PetitionState.choices,
                     default=PetitionState.REGISTERED, protected=True, db_index=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="handled_petitions", verbose_name=_("当前承办人"))
    proxy_agent = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="proxy_petitions", verbose_name=_("代办员"))
    coordinator = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="coordinated_petitions",
                                    verbose_name=_("镇级专人"))
    county_department = models.CharField(_("涉及县直部门"), max_length=80, blank=True)

    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    accept_due = models.DateField(_("受理告知期限"), null=True, blank=True)
    reply_due = models.DateField(_("办理期限"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_approver = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("延期批准人"))
    extension_status = models.CharField(_("延期审批"), max_length=10, blank=True,
                                        choices=ExtensionStatus.choices)
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延长天数"), null=True,
                                                                blank=True)
    extension_requested_reason = models.TextField(_("申请延期理由"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("延期申请人"))
    extension_requested_on = models.DateField(_("延期申请日期"), null=True, blank=True)
    extension_refusal = models.TextField(_("不予延期的理由"), blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    proper_channel = models.CharField(_("应当通过的途径"), max_length=200, blank=True)
    guided_to = models.CharField(_("导访去向"), max_length=200, blank=True)

    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    delivered_on = models.DateField(_("答复送达日期"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, blank=True,
                                       choices=DeliveryMethod.choices)
    reply_request = models.TextField(_("信访请求"), blank=True)
    reply_facts = models.TextField(_("查明的事实和理由"), blank=True)
    reply_decision = models.TextField(_("处理意见"), blank=True)
    reply_basis = models.TextField(_("依据"), blank=True)
    reply_result = models.CharField(_("处理结果"), max_length=12, blank=True,
                                    choices=ReplyResult.choices)
    reply_category = models.CharField(_("“三到位一处理”类别"), max_length=16, blank=True,
                                      choices=ThreeInPlaceCategory.choices)
    reply_draft = models.TextField(_("答复草稿"), blank=True,
                                   help_text=_("对接调解的纠纷化解后，由调解结果自动起草。"))
    satisfied = models.BooleanField(_("信访人满意"), null=True, blank=True)
    evaluation = models.CharField(_("信访人评价"), max_length=20, blank=True,
                                  choices=Evaluation.choices)
    evaluation_comment = models.TextField(_("评价意见"), blank=True)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True)
    discipline_organ = models.CharField(_("移送的纪检监察机关"), max_length=120, blank=True)
    transferred_on = models.DateField(_("移送日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_reason = models.CharField(_("办结方式"), max_length=24, blank=True,
                                    choices=CloseReason.choices)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "serial"],
                                    name="petitions_number_unique_per_town_year"),
            models.CheckConstraint(condition=Q(extension_days__lte=30),
                                   name="petitions_extension_at_most_30_days"),
        ]
        indexes = [
            # A town's petitions by state, and the dashboard's "due within 3 days" (each
            # deadline's states, then the range of days): both parts read from an index.
            models.Index(fields=["town", "state", "accept_due"], name="petitions_town_state_accept"),
            models.Index(fields=["town", "state", "reply_due"], name="petitions_town_state_reply"),
            models.Index(fields=["small_grid", "state"]),
            # The ledger's orders (column, id), either direction (petitions.exports.LEDGER_SORTS);
            # they also serve the deadline sweeps' ranges.
            models.Index(fields=["received_on", "id"], name="petitions_received_on_id"),
            models.Index(fields=["accept_due", "id"], name="petitions_accept_due_id"),
            models.Index(fields=["reply_due", "id"], name="petitions_reply_due_id"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.pk])

    @property
    def is_group(self) -> bool:
        """``GROUP_SIZE`` or more people make a group petition (集体访)."""
        return self.people_count >= GROUP_SIZE

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def is_confidential(self) -> bool:
        """Accusations (检举控告类) keep the petitioner's identity confidential."""
        return self.kind == PetitionKind.ACCUSATION

    @property
    def is_handling(self) -> bool:
        return self.state in HANDLING_STATES

    @property
    def is_claim(self) -> bool:
        """申诉求决类: the only kind with the 60 + 30 days and the review chain (第三十四至
        三十六条)."""
        return self.kind == PetitionKind.CLAIM

    @property
    def is_undelivered(self) -> bool:
        """答复未送达: replied, delivery not recorded."""
        return self.replied_on is not None and self.delivered_on is None

    @property
    def extension_pending(self) -> bool:
        return self.extension_status == ExtensionStatus.REQUESTED

    @property
    def has_notice(self) -> bool:
        """A written notice (告知书) goes out once the petition is accepted, declined or
        guided; one withdrawn before any of these has none."""
        return (self.accepted_on is not None or self.state == PetitionState.DECLINED
                or self.close_reason == CloseReason.GUIDED)

    # --- Transitions: they move this row's state and stamps only --------------------------

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.GRID,
                conditions=[permissions.not_barred_after_re_review],
                permission=permissions.can_accept)
    def accept(self):
        self.accepted_on = timezone.localdate()

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.DECLINED,
                permission=permissions.can_accept)
    def decline(self):
        pass

    @transition(field=state, source=PetitionState.REGISTERED, target=PetitionState.CLOSED,
                permission=permissions.can_accept)
    def guide(self):
        """导访: the petitioner is guided to the right place; closed as guided."""
        self.closed_on = timezone.localdate()
        self.close_reason = CloseReason.GUIDED

    @transition(field=state, source=PetitionState.GRID, target=PetitionState.TOWN,
                permission=permissions.can_escalate)
    @transition(field=state, source=PetitionState.TOWN, target=PetitionState.COUNTY,
                conditions=[permissions.has_coordinator], permission=permissions.can_escalate)
    def escalate(self):
        """grid → town (grid leader coordinates) → county (needs the named coordinator)."""

    @transition(field=state, source=HANDLING_STATES,
                target=RETURN_VALUE(PetitionState.REPLIED, PetitionState.CLOSED),
                permission=permissions.can_reply)
    def reply(self):
        """A claim waits, replied, for the review window; a suggestion is answered and closed
        (信访工作条例 第二十九条)."""
        self.replied_on = timezone.localdate()
        if self.kind == PetitionKind.SUGGESTION:
            self.closed_on = self.replied_on
            self.close_reason = CloseReason.ANSWERED
            return PetitionState.CLOSED
        return PetitionState.REPLIED

    @transition(field=state, source=[PetitionState.REGISTERED, *HANDLING_STATES],
                target=PetitionState.TRANSFERRED, conditions=[permissions.is_accusation],
                permission=permissions.can_transfer_discipline)
    def transfer_discipline(self):
        """An accusation about the conduct of public officials goes to the discipline-
        inspection organ (信访工作条例 第二十二条); the town's handling ends."""
        self.transferred_on = self.transferred_on or timezone.localdate()

    @transition(field=state, source=PetitionState.REPLIED, target=PetitionState.CLOSED,
                conditions=[permissions.may_close_now], permission=permissions.can_close)
    def close(self):
        self.closed_on = timezone.localdate()

    @transition(field=state, source=[PetitionState.REGISTERED, *HANDLING_STATES],
                target=PetitionState.CLOSED, permission=permissions.can_withdraw)
    def withdraw(self):
        """The petitioner withdraws: the matter ends, and so do the proxy's requests."""
        self.closed_on = timezone.localdate()
        self.close_reason = CloseReason.WITHDRAWN

    @transition(field=state, source=[s for s in PetitionState if s != PetitionState.VOIDED],
                target=PetitionState.VOIDED, permission=permissions.can_void)
    def void(self):
        """Entered in error: kept with the reason, counted nowhere."""


class Petitioner(PersonDetails):
    """A petitioner (信访人); in a group petition, the named representatives."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="petitioners",
                                 verbose_name=_("信访事项"))
    is_representative = models.BooleanField(_("代表"), default=False)

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")
        ordering = ["petition_id", "id"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["id_number"])]


class ProxyAppointment(models.Model):
    """Who handles the petition by proxy (代办), appointed by whom and when; ends when the
    petitioner withdraws or the proxy changes."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="proxies",
                                 verbose_name=_("信访事项"))
    agent = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("代办员"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("委托登记人"))
    appointed_at = models.DateTimeField(_("委托时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("代办委托")
        verbose_name_plural = _("代办委托")
        ordering = ["petition_id", "appointed_at"]

    def __str__(self):
        return f"{self.petition_id} {self.agent}"


class HigherLevelVisit(models.Model):
    """The petitioner also took the matter above the town (county, city, province or Beijing)
    while it was being handled here. Above the town's lawful next level (信访工作条例
    第二十条; the levels are the county's setting, ``CountyPetitionSettings``) it is skip-level
    (越级访); to the county it is a repeat to a higher level (第十九条). Which one is decided
    when the visit is recorded and kept in ``skip_level``."""

    Level = VisitLevel

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT,
                                 related_name="higher_visits", verbose_name=_("信访事项"))
    level = models.CharField(_("层级"), max_length=10, choices=VisitLevel.choices)
    skip_level = models.BooleanField(_("越级访"), default=True)
    visited_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("越级上访记录")
        verbose_name_plural = _("越级上访记录")
        ordering = ["visited_on", "id"]

    def __str__(self):
        return f"{self.petition_id} {self.get_level_display()} {self.visited_on}"


def default_skip_levels() -> list[str]:
    return [str(level) for level in DEFAULT_SKIP_LEVELS]


class CountyPetitionSettings(models.Model):
    """The county's petition settings: which levels above its towns count as skip-level
    (越级访). The default is city, province and national: the county is a town's lawful next
    level (信访工作条例 第二十条)."""

    county = models.OneToOneField(County, on_delete=models.PROTECT,
                                  related_name="petition_settings", verbose_name=_("县"))
    skip_levels = models.JSONField(_("计为越级访的层级"), default=default_skip_levels,
                                   help_text=_("可选：county、city、province、national。"))

    class Meta:
        verbose_name = _("县信访设置")
        verbose_name_plural = _("县信访设置")

    def __str__(self):
        return str(self.county)

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.skip_levels or []) - set(VisitLevel.values)
        if unknown:
            raise ValidationError({"skip_levels": _("未知层级：%(levels)s") % {
                "levels": "、".join(sorted(unknown))}})


class PetitionRecusal(models.Model):
    """A staff member with a direct interest in the matter or the petitioner withdraws from
    it (信访工作条例 第二十八条) and may then be neither its handler nor its proxy."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="recusals",
                                 verbose_name=_("信访事项"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("回避人员"))
    reason = models.TextField(_("回避事由"))
    replaced_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("改由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回避记录")
        verbose_name_plural = _("回避记录")
        ordering = ["petition_id", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "staff"],
                                    name="petitions_recusal_once_per_staff"),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.staff}"


class PetitionReviewQuerySet(models.QuerySet):
    def pending(self):
        """Requested and not yet answered."""
        return self.filter(answered_on__isnull=True)


class PetitionReview(models.Model):
    """A request for review (复查) or re-review (复核) of the handling opinion; answered within
    30 days. After a re-review the same matter is not accepted again."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("复查")
        RE_REVIEW = "re_review", _("复核")

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reviews",
                                 verbose_name=_("信访事项"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    requested_on = models.DateField(_("申请日期"))
    due_on = models.DateField(_("答复期限"))
    reviewing_body = models.CharField(_("复查（复核）机关"), max_length=120)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    opinion = models.TextField(_("复查（复核）意见"), blank=True)
    upheld = models.BooleanField(_("维持原处理意见"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))

    objects = PetitionReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("复查复核")
        verbose_name_plural = _("复查复核")
        ordering = ["petition_id", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind"],
                                    name="petitions_one_review_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.petition_id} {self.get_kind_display()}"


class ReviewHearing(models.Model):
    """A hearing (听证) held by the re-review body; its days do not count toward the
    re-review's 30 days (信访工作条例 第三十六条)."""

    review = models.ForeignKey(PetitionReview, on_delete=models.PROTECT, related_name="hearings",
                               verbose_name=_("复核"))
    held_on = models.DateField(_("听证日期"))
    days = models.PositiveSmallIntegerField(_("听证所需天数"), default=1)
    place = models.CharField(_("听证地点"), max_length=120)
    participants = models.TextField(_("参加人员"))
    record = models.TextField(_("听证记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("复核听证")
        verbose_name_plural = _("复核听证")
        ordering = ["review_id", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="petitions_hearing_days_positive"),
        ]

    def __str__(self):
        return f"{self.review_id} {self.held_on}"


class PetitionEvent(CaseEvent):
    """One row of a petition's history: who, when, from, to, why."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        ACCEPT = "accept", _("受理")
        DECLINE = "decline", _("不予受理")
        GUIDE = "guide", _("导访")
        ESCALATE = "escalate", _("上交")
        ASSIGN_COORDINATOR = "assign_coordinator", _("指定镇级专人")
        EXTEND = "extend", _("延期")
        REQUEST_EXTENSION = "request_extension", _("申请延期")
        APPROVE_EXTENSION = "approve_extension", _("批准延期")
        REFUSE_EXTENSION = "refuse_extension", _("不予延期")
        TRANSFER_DISCIPLINE = "transfer_discipline", _("移送纪检监察机关")
        DELIVER = "deliver", _("答复送达")
        RECUSE = "recuse", _("回避")
        HEARING = "hearing", _("复核听证")
        EVALUATE = "evaluate", _("信访人评价")
        NATIONAL_NUMBER = "national_number", _("登记国家信访信息系统编号")
        REPLY = "reply", _("答复")
        REPLY_DRAFT = "reply_draft", _("起草答复")
        CLOSE = "close", _("办结")
        REVIEW = "review", _("复查复核")
        DOCK = "dock", _("访调对接")
        WITHDRAW = "withdraw", _("撤回")
        HIGHER_VISIT = "higher_visit", _("越级上访")
        PROXY = "proxy", _("代办委托")
        IMPORTED = "imported", _("从登记簿导入")
        VOID = "void", _("作废")

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="events",
                                 verbose_name=_("信访事项"))
    action = models.CharField(_("操作"), max_length=24, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True,
                                  choices=PetitionState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True,
                                choices=PetitionState.choices)

    class Meta:
        verbose_name = _("信访办理记录")
        verbose_name_plural = _("信访办理记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.petition_id} {self.action}"
