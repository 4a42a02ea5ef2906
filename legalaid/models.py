"""Legal aid (法律援助), consultations (法律咨询) and publicity (法治宣传): the work of the town's
legal-service office and the five-elders studio with the judicial office, kept apart from
mediation so that it is counted as a figure of its own (docs/domain.md, "Five-elders mediation":
the town reports legal-aid cases beside mediated disputes).

Matters follow 法律援助法 (2021): the states and their choices in ``legalaid.states``, the
hardship rule in ``legalaid.rules``, the deadlines in ``legalaid.deadlines``. Nothing here is
deleted: a matter entered in error is voided with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from core.models import PersonDetails
from core.priority import PriorityGroup
from disputes.models import Dispute
from disputes.states import DisputeCategory
from grid.models import LargeGrid, ServiceUnit, SmallGrid, Staff, Town
from petitions.models import Petition

from . import permissions
from .states import (
    OPEN_STATES,
    Exemption,
    HardshipCheck,
    LegalAidState,
    ProviderKind,
    TerminationGround,
)


class MatterKind(models.TextChoices):
    """The civil and administrative matters of 法律援助法 第三十一条."""

    STATE_COMPENSATION = "state_compensation", _("请求国家赔偿")
    SOCIAL_INSURANCE = "social_insurance", _("请求社会保险待遇或者社会救助")
    PENSION = "pension", _("请求发给抚恤金")
    MAINTENANCE = "maintenance", _("请求给付赡养费、抚养费、扶养费")
    LABOUR = "labour", _("请求确认劳动关系或者支付劳动报酬")
    CAPACITY = "capacity", _("请求认定无民事行为能力或者限制民事行为能力")
    ENVIRONMENT = "environment", _("请求环境污染、生态破坏损害赔偿")
    PERSONAL_INJURY = "personal_injury", _("请求工伤、交通、食品药品安全、医疗事故人身损害赔偿")
    OTHER = "other", _("法律、法规、规章规定的其他情形")


class LegalAidMatterQuerySet(models.QuerySet):
    @staticmethod
    def open_q(prefix: str = "") -> Q:
        return Q(**{f"{prefix}state__in": OPEN_STATES})

    @staticmethod
    def counted_q(prefix: str = "") -> Q:
        """Counts in figures: every matter but those voided."""
        return ~Q(**{f"{prefix}state": LegalAidState.VOIDED})

    @staticmethod
    def decision_overdue_q(on, prefix: str = "") -> Q:
        return Q(**{f"{prefix}state": LegalAidState.TRANSFERRED, f"{prefix}decision_due__lt": on})

    @staticmethod
    def assignment_overdue_q(on, prefix: str = "") -> Q:
        return Q(**{f"{prefix}state": LegalAidState.GRANTED, f"{prefix}assignment_due__lt": on})

    def open(self):
        return self.filter(self.open_q())

    def counted(self):
        return self.filter(self.counted_q())


class LegalAidMatter(ConcurrentTransitionMixin, PersonDetails):
    """A legal-aid matter (法律援助事项): the applicant (the person fields, encrypted phone and
    ID number), the matter, the hardship check, the transfer to the county legal-aid centre,
    its decision, the provider assigned, the outcome."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="legal_aid_matters",
                             verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT,
                                   related_name="legal_aid_matters",
                                   verbose_name=_("申请人所在网格"))
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=40, unique=True)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="legal_aid_matters", verbose_name=_("关联纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="legal_aid_matters", verbose_name=_("关联信访事项"))

    applicant_group = models.CharField(_("申请人类别"), max_length=24, blank=True,
                                       choices=PriorityGroup.choices)
    priority_reason = models.CharField(_("优先服务原因"), max_length=200, blank=True)
    matter_kind = models.CharField(_("援助事项类别"), max_length=24, choices=MatterKind.choices)
    matter = models.TextField(_("申请援助事项"))
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)

    hardship = models.CharField(_("经济困难状况"), max_length=12, choices=HardshipCheck.choices,
                                default=HardshipCheck.PENDING)
    exemption = models.CharField(_("免予核查依据"), max_length=20, blank=True,
                                 choices=Exemption.choices)
    hardship_note = models.CharField(_("核查情况"), max_length=300, blank=True)

    state = FSMField(_("状态"), max_length=16, choices=LegalAidState.choices,
                     default=LegalAidState.APPLIED, protected=True, db_index=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="handled_legal_aid", verbose_name=_("经办人"))
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="legal_aid_matters", verbose_name=_("承办单位"))
    transferred_on = models.DateField(_("转交县法律援助中心日期"), null=True, blank=True)
    decision_due = models.DateField(_("审查决定期限"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("决定书编号"), max_length=60, blank=True)
    refusal_reason = models.TextField(_("不予援助理由"), blank=True)
    assignment_due = models.DateField(_("指派期限"), null=True, blank=True)
    provider_kind = models.CharField(_("承办人类型"), max_length=24, blank=True,
                                     choices=ProviderKind.choices)
    provider_name = models.CharField(_("承办人"), max_length=100, blank=True)
    assigned_on = models.DateField(_("指派日期"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    termination_ground = models.CharField(_("终止援助原因"), max_length=24, blank=True,
                                          choices=TerminationGround.choices)
    ended_reason = models.TextField(_("终止或作废说明"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = LegalAidMatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律援助事项")
        verbose_name_plural = _("法律援助事项")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "serial"],
                                    name="legalaid_number_unique_per_town_year"),
        ]
        indexes = [models.Index(fields=["town", "state"])]

    def __str__(self):
        return f"{self.number} {self.get_matter_kind_display()}"

    def get_absolute_url(self):
        return reverse("legalaid:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # --- Transitions: state and stamps only (who may: permissions; the rest: services) ----

    @transition(field=state, source=LegalAidState.APPLIED, target=LegalAidState.TRANSFERRED,
                conditions=[permissions.hardship_settled], permission=permissions.can_handle)
    def transfer(self):
        self.transferred_on = timezone.localdate()

    @transition(field=state, source=LegalAidState.TRANSFERRED, target=LegalAidState.GRANTED,
                permission=permissions.can_handle)
    def grant(self):
        pass

    @transition(field=state, source=LegalAidState.TRANSFERRED, target=LegalAidState.REFUSED,
                permission=permissions.can_handle)
    def refuse(self):
        pass

    @transition(field=state, source=LegalAidState.GRANTED, target=LegalAidState.ASSIGNED,
                permission=permissions.can_handle)
    def assign(self):
        self.assigned_on = timezone.localdate()

    @transition(field=state, source=LegalAidState.ASSIGNED, target=LegalAidState.CONCLUDED,
                permission=permissions.can_conclude)
    def conclude(self):
        self.concluded_on = timezone.localdate()

    @transition(field=state, source=[LegalAidState.GRANTED, LegalAidState.ASSIGNED],
                target=LegalAidState.TERMINATED, permission=permissions.can_conclude)
    def terminate(self):
        pass

    @transition(field=state, source=OPEN_STATES, target=LegalAidState.VOIDED,
                permission=permissions.can_void)
    def void(self):
        pass


class LegalAidEvent(CaseEvent):
    """One row of a matter's history."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记申请")
        CHECK_HARDSHIP = "check_hardship", _("核查经济困难状况")
        TRANSFER = "transfer", _("转交县法律援助中心")
        GRANT = "grant", _("准予法律援助")
        REFUSE = "refuse", _("不予法律援助")
        ASSIGN = "assign", _("指派承办")
        CONCLUDE = "conclude", _("办结")
        TERMINATE = "terminate", _("终止法律援助")
        VOID = "void", _("作废")

    matter = models.ForeignKey(LegalAidMatter, on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("法律援助事项"))
    action = models.CharField(_("操作"), max_length=24, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True,
                                  choices=LegalAidState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, blank=True,
                                choices=LegalAidState.choices)

    class Meta:
        verbose_name = _("法律援助办理记录")
        verbose_name_plural = _("法律援助办理记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.matter_id} {self.action}"


class Consultation(models.Model):
    """A legal consultation (法律咨询): who asked, about what, the advice given and by whom,
    whether it was referred onward; by village."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="consultations",
                             verbose_name=_("镇"))
    large_grid = models.ForeignKey(LargeGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="consultations", verbose_name=_("村（社区）"))
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="consultations", verbose_name=_("接待单位"))
    consulted_on = models.DateField(_("咨询日期"), default=timezone.localdate)
    asker = models.CharField(_("咨询人"), max_length=80)
    asker_group = models.CharField(_("优先服务类别"), max_length=24, blank=True,
                                   choices=PriorityGroup.choices)
    topic = models.CharField(_("咨询类别"), max_length=24, choices=DisputeCategory.choices)
    question = models.TextField(_("咨询事项"))
    advice = models.TextField(_("解答意见"))
    advised_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("解答人"))
    referred_onward = models.BooleanField(_("是否转介"), default=False)
    referred_to = models.CharField(_("转介去向"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-consulted_on", "-id"]
        indexes = [models.Index(fields=["town", "consulted_on"])]

    def __str__(self):
        return f"{self.consulted_on} {self.get_topic_display()}"


class PublicityEvent(models.Model):
    """A legal publicity event (法治宣传): date, place, topic, audience size, staff; by
    village."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="publicity_events",
                             verbose_name=_("镇"))
    large_grid = models.ForeignKey(LargeGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="publicity_events", verbose_name=_("村（社区）"))
    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="publicity_events", verbose_name=_("组织单位"))
    held_on = models.DateField(_("日期"), default=timezone.localdate)
    place = models.CharField(_("地点"), max_length=120)
    topic = models.CharField(_("宣传主题"), max_length=200)
    audience = models.PositiveIntegerField(_("受众人数"), validators=[MaxValueValidator(100000)])
    staff = models.ManyToManyField(Staff, related_name="+", verbose_name=_("参与工作人员"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法治宣传活动")
        verbose_name_plural = _("法治宣传活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["town", "held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.topic}"
