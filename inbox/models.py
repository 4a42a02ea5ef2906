"""The in-app inbox (站内通知): one row per message to a user."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.stored_text import shown


class Notification(models.Model):
    """One message in a user's in-app inbox (站内通知), with a link to the item it is about."""

    class Kind(models.TextChoices):
        """What the message is, for the channels that carry only some (SMS: hand-overs and
        deadline alerts; urgent ones also in the quiet hours)."""

        OTHER = "", _("其他")
        HANDOVER = "handover", _("转办")
        ALERT = "alert", _("期限提醒")
        URGENT = "urgent", _("紧急提醒")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # The title and body as message ids and parameters (core.stored_text), shown in the
    # reader's language; ``title`` and ``body`` keep the Chinese text (the admin, the search,
    # SMS, and rows written before or typed by a user, which have none).
    title_text = models.JSONField(_("标题（多语言）"), null=True, blank=True, editable=False)
    body_text = models.JSONField(_("内容（多语言）"), null=True, blank=True, editable=False)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    kind = models.CharField(_("类别"), max_length=12, blank=True, default="",
                            choices=Kind.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        # The table and index keep the names they had when the inbox lived in ``core``.
        db_table = "core_notification"
        indexes = [models.Index(fields=["recipient", "read_at"],
                                name="core_notifi_recipie_43dea6_idx")]

    def __str__(self):
        return self.title

    @property
    def title_display(self) -> str:
        """The title in the active language."""
        return shown(self.title_text, self.title)

    @property
    def body_display(self) -> str:
        """The body in the active language."""
        return shown(self.body_text, self.body)


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        """Not delivered yet and still tried (fewer than ``MAX_ATTEMPTS`` failures)."""
        return self.filter(delivered_at__isnull=True, attempts__lt=OutboxMessage.MAX_ATTEMPTS)

    def due(self, *, at):
        """Pending and past the back-off of its last failure: what a sweep delivers now."""
        return self.pending().filter(next_attempt_at__lte=at)


class OutboxMessage(models.Model):
    """One delivery of a notification by a channel that leaves the system (e-mail, later
    SMS), written in the same transaction as the notification and the change that caused it
    (a transactional outbox): it cannot be lost with a broker outage, and ``delivered_at``,
    set under a row lock, keeps it from being sent twice."""

    MAX_ATTEMPTS = 12

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries", verbose_name=_("通知"))
    channel = models.CharField(_("渠道"), max_length=20)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("失败次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("待发送通知")
        verbose_name_plural = _("待发送通知")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="outbox_once_per_channel")]
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"],
                                name="outbox_pending_idx")]

    def __str__(self):
        return f"{self.channel}: {self.notification_id}"
