"""Reaching the people concerned (README, "What it does": outreach): the SMS log, the numbers
that opted out, the public look-ups and the applications for mediation made from a phone."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from casework.models import CaseEvent, ConcurrentTransitionMixin
from core.fields import EncryptedCharField
from core.models import search_hash_field
from core.stored_text import shown
from core.validators import validate_mobile
from disputes.models import Dispute
from disputes.states import DisputeCategory
from grid.models import SmallGrid, Staff, Town
from inbox.models import Notification
from petitions.models import Petition

from . import permissions
from .states import ApplicationState, LookupKind, SmsRecipientKind, SmsStatus


class SmsQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SmsStatus.QUEUED)

    def due(self, *, at):
        """Waiting and past its back-off or the end of the quiet hours: what a sweep sends."""
        return self.pending().filter(next_attempt_at__lte=at)


class SmsMessage(models.Model):
    """One text message (短信) to one phone: its template and parameters, the text as sent
    (one segment of at most 70 characters with the town's signature), status and attempts.
    Written in the transaction of the change that causes it; sent on the worker."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("小网格"))
    recipient_kind = models.CharField(_("接收人类别"), max_length=12,
                                      choices=SmsRecipientKind.choices)
    phone = EncryptedCharField(_("手机号码"), max_length=11, hash_field="phone_hash")
    phone_hash = search_hash_field()
    template = models.CharField(_("短信模板"), max_length=40)
    params = models.JSONField(_("模板参数"), default=dict)
    text = models.CharField(_("短信内容"), max_length=70)
    urgent = models.BooleanField(_("紧急（免打扰时段照发）"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=SmsStatus.choices,
                              default=SmsStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("失败次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    gateway_id = models.CharField(_("网关消息编号"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True, db_index=True)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("信访事项"))
    application = models.ForeignKey("Application", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="sms", verbose_name=_("调解申请"))
    notification = models.OneToOneField(Notification, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+", verbose_name=_("站内通知"))
    # What this message is about, once: a second cause with the same key writes nothing.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True,
                                  editable=False)

    objects = SmsQuerySet.as_manager()

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="outreach_sms_pending_idx")]

    def __str__(self):
        return f"{self.template} {self.created_at:%Y-%m-%d %H:%M}"


class SmsOptOut(models.Model):
    """A phone number that asked for no more text messages (退订). Only the keyed hash of
    the number is kept."""

    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("退订时间"), auto_now_add=True)
    source = models.CharField(_("方式"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("短信退订")
        verbose_name_plural = _("短信退订")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.phone_hash[:8]}…"


class PublicLookup(models.Model):
    """One request to the public pages (查询记录): what was asked, from which address,
    whether it matched; never the phone typed."""

    kind = models.CharField(_("类别"), max_length=12, choices=LookupKind.choices)
    code = models.CharField(_("输入的查询码"), max_length=20, blank=True)
    matched = models.BooleanField(_("是否匹配"), default=False)
    throttled = models.BooleanField(_("是否被限流"), default=False)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("纠纷"))
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("信访事项"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("公开查询记录")
        verbose_name_plural = _("公开查询记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Application(ConcurrentTransitionMixin, models.Model):
    """An application for mediation made from a phone (群众扫码申请调解): it waits in the
    small grid's grid-member queue until accepted (it becomes a dispute whose source is the
    party's application) or declined with the reason and the other routes (人民调解法
    第十八条)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("镇"))
    small_grid = models.ForeignKey(SmallGrid, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("小网格"))
    name = models.CharField(_("申请人姓名"), max_length=80)
    phone = EncryptedCharField(_("申请人手机号码"), max_length=11, validators=[validate_mobile],
                               hash_field="phone_hash")
    phone_hash = search_hash_field()
    other_party = models.CharField(_("对方当事人"), max_length=80, blank=True)
    other_party_phone = EncryptedCharField(_("对方联系电话"), max_length=11, blank=True,
                                           validators=[validate_mobile],
                                           hash_field="other_party_phone_hash")
    other_party_phone_hash = search_hash_field()
    category = models.CharField(_("纠纷类型"), max_length=24, choices=DisputeCategory.choices)
    description = models.TextField(_("事情经过"))
    submitted_at = models.DateTimeField(_("申请时间"), default=timezone.now, db_index=True)

    state = FSMField(_("状态"), max_length=12, choices=ApplicationState.choices,
                     default=ApplicationState.SUBMITTED, protected=True, db_index=True)
    handler = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("受理网格员"))
    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="application", verbose_name=_("登记的纠纷"))
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    other_routes = models.TextField(_("告知的其他途径"), blank=True)
    # The default routes the system named, as a stored text (core.stored_text): read in each
    # reader's language; routes a handler typed are only in ``other_routes``.
    other_routes_text = models.JSONField(_("告知的其他途径（多语言）"), null=True, blank=True,
                                         editable=False)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("调解申请")
        verbose_name_plural = _("调解申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["small_grid", "state"])]

    def __str__(self):
        return f"{self.get_category_display()} {self.submitted_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("outreach:application_detail", args=[self.pk])

    @property
    def other_routes_display(self) -> str:
        """The routes in the active language (typed ones as typed)."""
        return shown(self.other_routes_text, self.other_routes)

    @transition(field=state, source=ApplicationState.SUBMITTED,
                target=ApplicationState.ACCEPTED, permission=permissions.can_decide)
    def accept(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=ApplicationState.SUBMITTED,
                target=ApplicationState.DECLINED, permission=permissions.can_decide)
    def decline(self):
        self.decided_at = timezone.now()


class ApplicationEvent(CaseEvent):
    """One row of an application's history (who accepted or declined it, when, why)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("受理")
        DECLINE = "decline", _("不予受理")

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="events", verbose_name=_("调解申请"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True,
                                  choices=ApplicationState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True,
                                choices=ApplicationState.choices)

    class Meta:
        verbose_name = _("申请办理记录")
        verbose_name_plural = _("申请办理记录")
        ordering = ["created_at", "id"]
