"""The history row every case model shares (abstract: each case app has its own table)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseEvent(models.Model):
    """One row of a case's history (disputes, petitions, notices): who did what, when, from
    which state to which, who holds it now, and why. Subclasses add the FK to their case
    (``related_name="events"``) and give ``action`` and the states their choices."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    handler = models.ForeignKey("grid.Staff", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("承办人"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
