"""The in-app inbox (站内通知): one row per message to a user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox (站内通知), with a link to the item it is about."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
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
