"""The outreach records' states and choices, apart from the models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已提交网关")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")
    OPTED_OUT = "opted_out", _("已退订，未发送")


class SmsRecipientKind(models.TextChoices):
    STAFF = "staff", _("工作人员")
    PARTY = "party", _("当事人")
    PETITIONER = "petitioner", _("信访人")
    APPLICANT = "applicant", _("申请人")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")


class LookupKind(models.TextChoices):
    QUERY = "query", _("查询进展")
    EVALUATE = "evaluate", _("评价")
    OPT_OUT = "opt_out", _("退订短信")
    APPLY_CODE = "apply_code", _("申请验证码")
    APPLY = "apply", _("提交申请")
