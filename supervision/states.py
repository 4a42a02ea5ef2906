"""Supervision notices' states and choices, apart from the models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeState(models.TextChoices):
    ISSUED = "issued", _("已下发")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    REPORTED = "reported", _("已报结果")
    VERIFIED = "verified", _("已核验")
    RETURNED = "returned", _("已退回")


class NoticeKind(models.TextChoices):
    SUPERVISION = "supervision", _("督办件")
    EARLY_WARNING = "early_warning", _("预警通知")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("紧急")
    ORDINARY = "ordinary", _("一般")
    DIFFICULT = "difficult", _("疑难复杂")


class TargetOffice(models.TextChoices):
    GOVERNANCE_OFFICE = "governance_office", _("综治办")
    JUDICIAL_OFFICE = "judicial_office", _("司法所")
    PETITION_OFFICE = "petition_office", _("信访办")
    POLICE = "police", _("派出所")
    COMMITTEE = "committee", _("镇调委会")
