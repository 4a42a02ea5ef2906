"""The petition workflow's states and choices, apart from the models, so permissions,
services, alerts and figures name them as enums, never as strings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PetitionState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    DECLINED = "declined", _("不予受理")
    GRID = "grid", _("网格代办")
    TOWN = "town", _("镇级协调")
    COUNTY = "county", _("县直部门协调")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


HANDLING_STATES = [PetitionState.GRID, PetitionState.TOWN, PetitionState.COUNTY]
# Registered and not yet ended: on someone's desk, a reply possibly still under review.
OPEN_STATES = [PetitionState.REGISTERED, *HANDLING_STATES, PetitionState.REPLIED]

# Five or more people on one matter make a group petition (集体访), the threshold petition
# work counts by; such a group must name representatives, at most five (信访工作条例).
GROUP_SIZE = 5


class PetitionForm(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上信访")
    PHONE = "phone", _("电话")


class PetitionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议意见类")
    ACCUSATION = "accusation", _("检举控告类")
    CLAIM = "claim", _("申诉求决类")


class ReplyResult(models.TextChoices):
    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不支持")


class ThreeInPlaceCategory(models.TextChoices):
    """"三到位一处理" (DOMAIN.md, "信访事项代办")."""

    SOLVED = "solved", _("诉求合理的解决到位")
    EXPLAINED = "explained", _("诉求无理的思想教育到位")
    HELPED = "helped", _("生活困难的帮扶救助到位")
    HANDLED_BY_LAW = "handled_by_law", _("行为违法的依法处理")


class CloseReason(models.TextChoices):
    SATISFIED = "satisfied", _("信访人满意")
    REVIEW_WINDOW_PASSED = "review_window_passed", _("复查申请期限届满")
    REVIEW_FINAL = "review_final", _("复核终结")
    GUIDED = "guided", _("已导访")
    WITHDRAWN = "withdrawn", _("信访人撤回")
